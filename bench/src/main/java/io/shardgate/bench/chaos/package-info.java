/**
 * Faults under a verified load: what the chaos run and the soak share, and the chaos run itself.
 *
 * <p>{@link io.shardgate.bench.chaos.BackendProcess} starts real memcached and redis-server processes and does faults
 * to them by PID; {@link io.shardgate.bench.chaos.FaultRelay} sits between the proxy and a backend and delays,
 * resets or garbles what it answers. {@link io.shardgate.bench.chaos.LoadGroup} drives the proxy with versioned
 * values through the load generator's connections ({@code bench.load}); every outcome goes to a
 * {@link io.shardgate.bench.chaos.LiveStats}, which tells a mismatch from a failure a
 * {@link io.shardgate.bench.chaos.FaultLog} fault explains, and from one nothing explains.
 * {@link io.shardgate.bench.chaos.ChaosRun} puts them together and judges each fault.
 */
package io.shardgate.bench.chaos;
