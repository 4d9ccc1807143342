/**
 * The spring-session mode: Spring Session Data Redis ({@code RedisSessionRepository} under a
 * {@code SessionRepositoryFilter}) installed by the node around the unchanged WAR, built by hand (no Spring
 * Boot, no component scan), its Redis connection (Lettuce) following cluster.properties like the other
 * Redis modes. The reference point a Spring user would pick, measured beside this project's own manager.
 */
package org.sessioncluster.node.springsession;
