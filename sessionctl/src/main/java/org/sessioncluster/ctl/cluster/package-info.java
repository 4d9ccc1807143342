/**
 * Starting and stopping a cluster of node JVMs (and an embedded Redis when the config needs one),
 * waiting until it is ready, and remembering it in a run folder so a later command can find it.
 */
package org.sessioncluster.ctl.cluster;
