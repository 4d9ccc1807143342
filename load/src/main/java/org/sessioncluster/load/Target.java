package org.sessioncluster.load;

/** Where a request goes: the balancer, or one node picked by the client itself. */
public record Target(String name, String baseUrl) {}
