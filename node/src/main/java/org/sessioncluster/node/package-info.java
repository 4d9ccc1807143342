/**
 * One cluster node: an embedded Tomcat that reads cluster-config, installs the session manager of the
 * chosen mode ({@code mode}), deploys the WAR at {@code /}, and publishes its own status and metrics
 * under {@code /_node} ({@code metrics}). It never imports the balancer or the CLI.
 */
package org.sessioncluster.node;
