"""The tandem benchmark of scenarios/bench/tandem20.toml in SimPy: 20 stations in series,
2 servers each, service triangular(3, 4, 6) h, Poisson arrivals 0.4 an hour, 200,000
customers."""
import random
import simpy

random.seed(1)
times = []


def train(env, stations):
    born = env.now
    for station in stations:
        with station.request() as req:
            yield req
            yield env.timeout(random.triangular(3.0, 6.0, 4.0))
    times.append(env.now - born)


def source(env, stations):
    for _ in range(200_000):
        env.process(train(env, stations))
        yield env.timeout(random.expovariate(0.4))


env = simpy.Environment()
stations = [simpy.Resource(env, capacity=2) for _ in range(20)]
env.process(source(env, stations))
env.run()
print(f"SimPy tandem: mean time in system {sum(times) / len(times):.1f} h")
