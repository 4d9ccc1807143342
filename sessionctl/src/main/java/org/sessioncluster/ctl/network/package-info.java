/**
 * Network labs: a cluster's processes in network namespaces of their own on one Linux machine, joined by shaped
 * links to a bridge, and the faults a network has (partitions); made and removed by the run itself.
 */
package org.sessioncluster.ctl.network;
