"""Shared helpers for the benchmark scripts: the binary, machine facts, timed runs."""
import os, platform, re, subprocess, tempfile, time

HUBTRENDS = os.environ.get("HUBTRENDS_BIN", "/var/tmp/hubtrends-target/release/hubtrends")


def load():
    """The 1/5/15-minute load averages, as a string."""
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def machine():
    """One line: cores, CPU model, memory, load, binary."""
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kb = int(f.readline().split()[1])
    return (f"machine: {os.cpu_count()} cores, {cpu}, {mem_kb/1024/1024:.1f} GiB RAM; "
            f"load {load()}; binary {HUBTRENDS}")


def run_timed(cmd, env=None, stdout=subprocess.DEVNULL, cwd=None):
    """Run cmd under /usr/bin/time -v; return wall (s), user, sys, peak RSS (MB), rc, load before."""
    before = load()
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        t0 = time.perf_counter()
        p = subprocess.run(["/usr/bin/time", "-v", "-o", tf.name] + cmd, env=env,
                           stdout=stdout, stderr=subprocess.PIPE, text=True, cwd=cwd)
        wall = time.perf_counter() - t0
        text = tf.read()
    def grab(pat):
        m = re.search(pat, text)
        return float(m.group(1)) if m else float("nan")
    r = dict(wall=wall, user=grab(r"User time \(seconds\): ([\d.]+)"),
             sys=grab(r"System time \(seconds\): ([\d.]+)"),
             rss_mb=grab(r"Maximum resident set size \(kbytes\): (\d+)") / 1024,
             rc=p.returncode, load=before, stderr=p.stderr)
    if p.returncode != 0:
        raise SystemExit(f"command failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr[-3000:]}")
    return r


def proc_cpu_seconds(pid):
    """utime+stime of a running process, in seconds (for the simulator's CPU)."""
    with open(f"/proc/{pid}/stat") as f:
        parts = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(parts[11]) + int(parts[12])) / ticks
