/** The comparison report: results as JSON and CSV, and an HTML page with charts and conclusions drawn from the numbers. */
package org.sessioncluster.load.report;
