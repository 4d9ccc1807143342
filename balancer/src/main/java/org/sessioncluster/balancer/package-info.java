/**
 * The embedded load balancer: a reverse proxy ({@code proxy}) that picks a node per request with a
 * policy ({@code policy}) among the registered, healthy nodes ({@code backend}: the registry, health
 * checks, drain and weights), and an admin API with a live dashboard ({@code admin}).
 */
package org.sessioncluster.balancer;
