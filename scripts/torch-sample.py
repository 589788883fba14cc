"""The app's default sample in PyTorch on one thread: the benchmark's yardstick for `--mode sample`.

Annealed Langevin dynamics (Song & Ermon, 2019) as the app runs it by default: 500 particles,
L = 10 noise levels geometric from sigma_max = 4 to sigma_min = 0.05, T = 30 updates per level,
step a_i = eps * sigma_i^2 / sigma_L^2 with eps = 3e-4, and

    x <- x + (a_i / 2) * s(x, sigma_i) + sqrt(a_i) * z,   z ~ N(0, I),

through a network of the app's NCSN shape: inputs (x, sigma), three hidden SiLU layers of width
128, two outputs divided by sigma. A copy of the particles is kept every 3rd update (the trails).
The weights are random: the arithmetic, not the answer, is what is timed.

Usage: python3 scripts/torch-sample.py [width] [repeats]   (prints JSON lines; the last is the median)
"""
import json
import statistics
import sys
import time

import torch

torch.set_num_threads(1)
torch.manual_seed(0)
WIDTH = int(sys.argv[1]) if len(sys.argv) > 1 else 128
REPEATS = int(sys.argv[2]) if len(sys.argv) > 2 else 5
N, D, LEVELS, STEPS, EPS, TRAIL_EVERY = 500, 2, 10, 30, 3e-4, 3
SIGMA_MAX, SIGMA_MIN = 4.0, 0.05

net = torch.nn.Sequential(
    torch.nn.Linear(D + 1, WIDTH), torch.nn.SiLU(),
    torch.nn.Linear(WIDTH, WIDTH), torch.nn.SiLU(),
    torch.nn.Linear(WIDTH, WIDTH), torch.nn.SiLU(),
    torch.nn.Linear(WIDTH, D),
)
ratio = (SIGMA_MIN / SIGMA_MAX) ** (1 / (LEVELS - 1))
sigmas = [SIGMA_MAX * ratio**i for i in range(LEVELS)]


@torch.no_grad()
def sample():
    x = torch.randn(N, D) * SIGMA_MAX
    trails = []
    for sigma in sigmas:
        a = EPS * sigma**2 / sigmas[-1] ** 2
        level = torch.full((N, 1), sigma)
        for t in range(STEPS):
            s = net(torch.cat([x, level], 1)) / sigma
            x = x + (a / 2) * s + a**0.5 * torch.randn(N, D)
            if t % TRAIL_EVERY == 0:
                trails.append(x.clone())
    return x, trails


sample()  # warm-up
times = []
for _ in range(REPEATS):
    t0 = time.perf_counter()
    sample()
    times.append((time.perf_counter() - t0) * 1000)
    print(json.dumps({"kind": "torch-sample-run", "ms": round(times[-1], 1)}))
print(json.dumps({"kind": "torch-sample", "particles": N, "levels": LEVELS, "stepsPerLevel": STEPS, "width": WIDTH,
                  "medianMs": round(statistics.median(times), 1), "minMs": round(min(times), 1), "threads": torch.get_num_threads()}))
