/** The picocli commands of sessionctl: one class per verb. */
package org.sessioncluster.ctl.command;
