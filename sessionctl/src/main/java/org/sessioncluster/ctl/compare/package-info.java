/** The comparison: every scenario (session mode + balancer policy) on every node count, under the same load, metered. */
package org.sessioncluster.ctl.compare;
