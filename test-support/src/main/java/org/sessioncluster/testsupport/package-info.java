/** Fixtures the modules' tests share; a test-scope dependency only, never shipped. */
package org.sessioncluster.testsupport;
