package org.sessioncluster.ctl.scenario;

import java.util.Map;
import java.util.function.Consumer;
import org.sessioncluster.load.LoadGenerator;
import org.sessioncluster.load.Timeline;
import org.sessioncluster.load.report.TimelineReport;

/** The figures every fault scenario (failover, soak, chaos) reports about its load, named the same in each. */
final class ScenarioFigures {
    private ScenarioFigures() {}

    /** Requests, failed requests, failed GETs, sessions lost and stale answers, in that order. */
    static void putOutcome(Map<String, Object> figures, LoadGenerator.Result result) {
        figures.put("requests", result.summary().requests());
        figures.put("failed requests", result.summary().errors());
        figures.put("failed GETs", result.failedReads());
        figures.put("sessions lost", result.usersWithMiss());
        figures.put("stale answers", result.summary().stale());
    }

    /**
     * Adds the p99 and the length of the load, tells the samples of failed requests and broken sessions, and
     * returns the scenario for the report.
     */
    static TimelineReport.Scenario scenario(
            String name,
            Map<String, Object> figures,
            LoadGenerator.Result result,
            Timeline timeline,
            Consumer<String> progress) {
        figures.put("p99 (ms)", round(result.summary().p99Ms()));
        figures.put("seconds", round(result.summary().seconds()));
        result.summary().errorSamples().forEach(e -> progress.accept("error: " + e));
        result.summary().continuitySamples().forEach(e -> progress.accept("session: " + e));
        return new TimelineReport.Scenario(name, figures, timeline);
    }

    /** To two decimals, as the reports show figures. */
    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
