/**
 * SSH port forwarding with Apache MINA SSHD: a local forward ({@code -L}, reach a service behind a
 * bastion) and a remote forward ({@code -R}, expose a service that can only dial out), both kept up
 * across dropped connections, with public-key auth and known_hosts checks only.
 */
package org.sessioncluster.tunnel;
