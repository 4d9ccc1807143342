/**
 * The nodes the balancer knows: registered by the nodes themselves (Eureka's idea: register, renew,
 * evict the silent), checked for health actively and passively, and steered by an operator (drain,
 * enable, disable, weight).
 */
package org.sessioncluster.balancer.backend;
