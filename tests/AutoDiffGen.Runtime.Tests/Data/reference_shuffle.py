#!/usr/bin/env python3
"""Independent reference for MinibatchSampler's shuffle, the source of the golden values in
MinibatchSamplerTests and Xoshiro256StarStarTests (`python3 reference_shuffle.py` prints them).

xoshiro256** (Blackman and Vigna) seeded by SplitMix64, Lemire's unbiased bounded integers on the
high 32 bits, Fisher-Yates from the identity; epoch e of seed s is shuffled with the generator
seeded by SplitMix64(s) + e. The first two lines are the generators' published reference outputs.
"""

MASK = (1 << 64) - 1


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & MASK


def splitmix64(state):
    """One step: returns (new state, output)."""
    state = (state + 0x9E3779B97F4A7C15) & MASK
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return state, z ^ (z >> 31)


class Xoshiro256StarStar:
    def __init__(self, s0, s1, s2, s3):
        self.s = [s0, s1, s2, s3]

    @staticmethod
    def from_seed(seed):
        words = []
        for _ in range(4):
            seed, word = splitmix64(seed)
            words.append(word)
        return Xoshiro256StarStar(*words)

    def next(self):
        s0, s1, s2, s3 = self.s
        result = (rotl((s1 * 5) & MASK, 7) * 9) & MASK
        t = (s1 << 17) & MASK
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        self.s = [s0, s1, s2, s3]
        return result

    def bounded(self, bound):
        product = (self.next() >> 32) * bound
        low = product & 0xFFFFFFFF
        if low < bound:
            threshold = ((1 << 32) - bound) % bound
            while low < threshold:
                product = (self.next() >> 32) * bound
                low = product & 0xFFFFFFFF
        return product >> 32


def epoch_order(n, seed, epoch):
    _, mixed = splitmix64(seed)
    rng = Xoshiro256StarStar.from_seed((mixed + epoch) & MASK)
    order = list(range(n))
    for i in range(n - 1, 0, -1):
        j = rng.bounded(i + 1)
        order[i], order[j] = order[j], order[i]
    return order


if __name__ == "__main__":
    x = Xoshiro256StarStar(1, 2, 3, 4)
    print("xoshiro256** from state 1,2,3,4:", [x.next() for _ in range(6)])
    state, outputs = 0, []
    for _ in range(3):
        state, value = splitmix64(state)
        outputs.append(hex(value))
    print("splitmix64 from 0:", outputs)
    x = Xoshiro256StarStar.from_seed(42)
    print("xoshiro256** seeded with 42:", [hex(x.next()) for _ in range(3)])
    print("n=10 seed=42 epoch 0:", epoch_order(10, 42, 0))
    print("n=10 seed=42 epoch 1:", epoch_order(10, 42, 1))
    print("n=10 seed=7  epoch 0:", epoch_order(10, 7, 0))
