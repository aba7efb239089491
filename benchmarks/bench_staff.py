"""Timings for the staff space (not a test: prints figures and ratios).

    python benchmarks/bench_staff.py

1. Sign-in: an unknown name must cost what a wrong password costs (ratio close to 1.00),
   with the real argon2 cost used in production.
2. Handout: time to build each guide's PDF (done only when the button is clicked).
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from services.guides import guide_slugs, load_guide  # noqa: E402
from services.handout import build_handout  # noqa: E402
from services.office import get_office  # noqa: E402
from services.staff_auth import check_credentials, hash_password  # noqa: E402


def median_ms(action, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def interleaved_cpu_ms(actions: dict, rounds: int) -> dict[str, float]:
    """Median CPU time (all threads) of each action, run in turn so load hits them alike."""
    samples: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(rounds):
        for name, action in actions.items():
            start = time.process_time()
            action()
            samples[name].append((time.process_time() - start) * 1000)
    return {name: statistics.median(values) for name, values in samples.items()}


def main() -> None:
    password = "un mot de passe assez long"
    users = {"carpentier": hash_password(password), "martin": hash_password(password + "2")}
    check_credentials(users, "nobody", "x")  # warm the dummy-hash cache
    cpu = interleaved_cpu_ms({
        "wrong password": lambda: check_credentials(users, "carpentier", "faux"),
        "unknown name": lambda: check_credentials(users, "inconnu", "faux"),
        "right password": lambda: check_credentials(users, "carpentier", password),
    }, rounds=25)
    print("sign-in  CPU ms (median of 25, interleaved): "
          + " | ".join(f"{name} {ms:.1f}" for name, ms in cpu.items()))
    print(f"sign-in  ratio unknown/wrong = {cpu['unknown name'] / cpu['wrong password']:.2f}"
          "  (1.00 = no way to tell who exists)")

    office = get_office()
    for slug in guide_slugs():
        guide = load_guide(slug, office)
        ms = median_ms(lambda: build_handout(guide, office, generated_on=date.today()), 3)
        size = len(build_handout(guide, office, generated_on=date.today()))
        print(f"handout  {slug:22s} {guide.count} steps  {ms:7.0f} ms  {size / 1024:6.0f} KiB"
              f"  ({ms / guide.count:.0f} ms per step)")


if __name__ == "__main__":
    main()
