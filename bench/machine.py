"""What machine the benchmark ran on: CPU model, cores, memory, Python, and the date."""

from __future__ import annotations

import datetime as dt
import os
import platform
from pathlib import Path


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def _memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1048576
    except OSError:
        pass
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1073741824
    except (ValueError, OSError, AttributeError):
        return None


def machine_facts() -> dict[str, str]:
    """Date, CPU model, core count, RAM, OS and Python version, as display strings."""
    memory = _memory_gib()
    return {
        "date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "cpu": _cpu_model(),
        "cores": str(os.cpu_count() or "unknown"),
        "ram": f"{memory:.1f} GiB" if memory is not None else "unknown",
        "os": f"{platform.system()} {platform.release()}",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "load": _load(),
    }


def _load() -> str:
    """The 1-minute load average against the core count: other work slows every figure."""
    try:
        one, _five, _fifteen = os.getloadavg()
    except (OSError, AttributeError):
        return "unknown"
    return f"{one:.1f}"
