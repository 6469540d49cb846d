"""The M/M/10 benchmark of scenarios/bench/border_mm10.toml in SimPy: Poisson arrivals
9.5 an hour, exponential service of mean 1 h, 10 servers, 1,000,000 customers. With the
argument `travel`, that of border_mm10_travel.toml: a one-minute drive before the post and
one after it."""
import random
import sys

import simpy

random.seed(1)
TRAVEL = "travel" in sys.argv[1:]
DRIVE_H = 1.0 / 60.0
waits = []


def customer(env, post):
    if TRAVEL:
        yield env.timeout(DRIVE_H)
    arrived = env.now
    with post.request() as req:
        yield req
        waits.append(env.now - arrived)
        yield env.timeout(random.expovariate(1.0))
    if TRAVEL:
        yield env.timeout(DRIVE_H)


def source(env, post):
    for _ in range(1_000_000):
        env.process(customer(env, post))
        yield env.timeout(random.expovariate(9.5))


env = simpy.Environment()
post = simpy.Resource(env, capacity=10)
env.process(source(env, post))
env.run()
print(f"SimPy M/M/10{' with travel' if TRAVEL else ''}: mean wait {sum(waits) / len(waits):.4f} h")
