/**
 * The WAR on stock Tomcat: the {@code <Cluster>} element (delta, backup) and the Redisson
 * {@code <Manager>} (redis) an operator puts into a stock Tomcat, rendered from cluster.properties, and
 * CATALINA_BASE folders laid out from a stock distribution.
 */
package org.sessioncluster.ctl.tomcat;
