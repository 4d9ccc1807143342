/**
 * The disk mode: Tomcat's {@code PersistentManager} and {@code PersistentValve} over a file store in a folder
 * every node shares, which counts the bytes it writes and can force each save to the device.
 */
package org.sessioncluster.node.disk;
