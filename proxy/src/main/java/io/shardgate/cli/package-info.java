/**
 * The {@code shardgate} command: nutcracker's flags ({@code -h -V -t -d -D -v -o -c -s -a -i -p -m}, long forms
 * too, plus {@code --threads}) parsed with picocli into {@link io.shardgate.config.ServerSettings}, logging set up
 * from {@code -v}/{@code -o}, and the run path: load and check the config, log the keys not enforced yet, start
 * {@link io.shardgate.server.ShardGateServer}, write the pid file and serve until SIGTERM or SIGINT.
 * {@code -d} re-launches the JVM as a detached child, since a JVM cannot fork.
 *
 * <p>Depends on config, stats and server; nothing depends on it.
 */
package io.shardgate.cli;
