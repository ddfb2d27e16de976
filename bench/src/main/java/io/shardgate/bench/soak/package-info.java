/**
 * The soak: shardgate as its own process under a long mixed load with faults now and then
 * ({@link io.shardgate.bench.soak.SoakRun}), its memory, GC and the clients' latency sampled into
 * {@link io.shardgate.bench.soak.Sample}s, plotted ({@link io.shardgate.bench.soak.SoakPlot}, JFreeChart) and judged
 * ({@link io.shardgate.bench.soak.Summary}).
 */
package io.shardgate.bench.soak;
