/**
 * Chooses and installs a node's session mode ({@link org.sessioncluster.node.mode.SessionModeInstaller}), one
 * package per store beside it ({@code replication}, {@code redis}, {@code redisson}, {@code springsession},
 * {@code disk}), and what they share: the allow-list for session data, the Redis login and the answer a
 * request gets when its store is down.
 */
package org.sessioncluster.node.mode;
