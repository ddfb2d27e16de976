/**
 * nutcracker's (twemproxy 0.5.0) YAML config file: {@link io.shardgate.config.ConfigLoader} reads it into a
 * {@link io.shardgate.config.ProxyConfig} of {@link io.shardgate.config.PoolConfig} records with nutcracker's
 * defaults applied, refusing a bad file with one {@link io.shardgate.config.ConfigException} that names the file,
 * line, pool and key.
 *
 * <p>Reading happens in two stages: a YAML tree with line numbers (duplicate keys, syntax) and then validation of
 * each pool key the way nutcracker reads it. What the core cannot do yet is kept out of the loader:
 * {@code ConfigLoader.checkSupported} refuses what cannot be served (nothing today), and
 * {@link io.shardgate.config.NotYetEnforced} lists
 * keys that are read but not acted on, which the CLI logs at start. docs/CONFIG.md is the reference for users.
 *
 * <p>Depends on no other package of the proxy: everything else may read the config. It also names what a config names:
 * the hashes and distributions ({@link io.shardgate.config.HashKind}, {@link io.shardgate.config.DistributionKind})
 * and the command-line settings ({@link io.shardgate.config.ServerSettings}).
 */
package io.shardgate.config;
