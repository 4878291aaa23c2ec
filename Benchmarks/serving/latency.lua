-- wrk script for the serving benchmarks: after wrk's own report (--latency prints up to p99), the tail that p99
-- hides. A stall of a few requests shows here first (see README.md, "Pool size").
done = function(summary, latency, requests)
  io.write(string.format("Tail: p99.9 %.2fms, p99.99 %.2fms, slowest %.2fms\n",
    latency:percentile(99.9) / 1000, latency:percentile(99.99) / 1000, latency.max / 1000))
end
