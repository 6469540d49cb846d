"""The tandem benchmark of scenarios/bench/tandem20.toml in SimPy: 20 stations in series,
2 servers each, service triangular(3, 4, 6) h, Poisson arrivals 0.4 an hour, 200,000
customers. With the argument `travel`, that of tandem20_travel.toml: a one-minute run
before each station and after the last."""
import random
import sys

import simpy

random.seed(1)
TRAVEL = "travel" in sys.argv[1:]
DRIVE_H = 1.0 / 60.0
times = []


def train(env, stations):
    born = env.now
    for station in stations:
        if TRAVEL:
            yield env.timeout(DRIVE_H)
        with station.request() as req:
            yield req
            yield env.timeout(random.triangular(3.0, 6.0, 4.0))
    if TRAVEL:
        yield env.timeout(DRIVE_H)
    times.append(env.now - born)


def source(env, stations):
    for _ in range(200_000):
        env.process(train(env, stations))
        yield env.timeout(random.expovariate(0.4))


env = simpy.Environment()
stations = [simpy.Resource(env, capacity=2) for _ in range(20)]
env.process(source(env, stations))
env.run()
print(f"SimPy tandem{' with travel' if TRAVEL else ''}: mean time in system {sum(times) / len(times):.1f} h")
