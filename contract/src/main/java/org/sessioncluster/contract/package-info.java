/**
 * The documents the processes exchange over HTTP, as records written and read with one Jackson mapper
 * ({@link org.sessioncluster.contract.Contracts}): a node's status and metrics, the registry, the balancer's state. A record
 * is the only definition of its document; the writer and every reader use it.
 */
package org.sessioncluster.contract;
