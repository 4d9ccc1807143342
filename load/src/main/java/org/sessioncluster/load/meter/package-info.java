/** Reading what sharing sessions costs: node metrics (cluster channel, sessions held, store) and Redis INFO. */
package org.sessioncluster.load.meter;
