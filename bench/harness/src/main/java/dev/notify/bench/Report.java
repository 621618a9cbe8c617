package dev.notify.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonWriter;
import jakarta.json.stream.JsonGenerator;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The run's figures as report.json (for comparing runs), report.md (for reading) and report.png. */
final class Report {

    private final Map<String, Object> figures;
    private final Timeline timeline;

    Report(Map<String, Object> figures, Timeline timeline) {
        this.figures = figures;
        this.timeline = timeline;
    }

    void write(Path directory) throws IOException {
        Files.createDirectories(directory);
        Files.writeString(directory.resolve("report.json"), json());
        Files.writeString(directory.resolve("report.md"), markdown());
        System.out.println(markdown());
        try {
            ChartUtils.saveChartAsPNG(directory.resolve("report.png").toFile(), chart(), 1200, 800);
            Benchmark.say("Written: " + directory.resolve("report.json") + ", report.md, report.png");
        } catch (IOException | RuntimeException | LinkageError e) {
            // a machine without fonts cannot draw text; the figures are written already
            Benchmark.say("Written: " + directory.resolve("report.json") + " and report.md; no chart: " + e);
        }
    }

    private String json() {
        JsonObjectBuilder json = Json.createObjectBuilder();
        figures.forEach((key, value) -> {
            if (value instanceof Number number) {
                json.add(key, number.doubleValue() == Math.rint(number.doubleValue()) ? Json.createValue(number.longValue())
                        : Json.createValue(number.doubleValue()));
            } else {
                json.add(key, String.valueOf(value));
            }
        });
        StringWriter text = new StringWriter();
        try (JsonWriter writer = Json.createWriterFactory(Map.of(JsonGenerator.PRETTY_PRINTING, true)).createWriter(text)) {
            writer.write(json.build());
        }
        return text + "\n";
    }

    private String markdown() {
        return "# Benchmark: " + figures.get("server") + ", " + figures.get("commit") + " (" + figures.get("mode") + ", "
                + LocalDate.now() + ", " + Runtime.getRuntime().availableProcessors() + " cores)\n\n"
                + table("Throughput (closed loop: single POSTs of order.placed, 8 clients)",
                "events_per_bare_bean_tx", "delivered_events_per_s", "cold_delivered_events_per_s", "cold_events",
                "bare_bean_tx_per_s", "pipeline_tx_per_s", "ratio_to_bare_bean", "transactions_per_event",
                "accepted_events_per_s", "routed_events_per_s", "delivered_notifications_per_s")
                + table("CPU per event in the closed loop (ms; 2 cores give 2000 ms per second)",
                "cpu_ms_per_event_server", "cpu_ms_per_event_broker", "cpu_ms_per_event_database",
                "cpu_ms_per_event_runner", "cpu_ms_per_event_bench", "cpu_ms_per_event")
                + table("Latency (open loop at a fixed offered rate; from when each request was due)",
                "open_loop_events_per_s", "rest_p50_ms", "rest_p95_ms", "rest_p99_ms", "e2e_p50_ms", "e2e_p95_ms", "e2e_p99_ms")
                + table("Spike (POST /events/batch of 500, 4 clients)",
                "spike_events", "spike_accept_events_per_s", "spike_drain_s", "spike_undelivered_notifications")
                + table("Resources (at the end)", "server_rss_mb", "broker_rss_mb", "runner_rss_mb", "ready_s", "consumers")
                + "![throughput and latency over time](report.png)\n";
    }

    private String table(String title, String... keys) {
        StringBuilder table = new StringBuilder("## " + title + "\n\n| figure | value |\n| --- | --- |\n");
        for (String key : keys) {
            table.append("| `").append(key).append("` | ").append(figures.get(key)).append(" |\n");
        }
        return table.append('\n').toString();
    }

    private JFreeChart chart() {
        XYSeries accepted = new XYSeries("events accepted/s");
        XYSeries delivered = new XYSeries("notifications delivered/s");
        XYSeries bareBean = new XYSeries("bare bean transactions/s");
        for (Timeline.Sample sample : timeline.samples()) {
            accepted.add(sample.second(), sample.acceptedPerSecond());
            delivered.add(sample.second(), sample.deliveredPerSecond());
            bareBean.add(sample.second(), sample.bareBeanPerSecond());
        }
        XYSeries rest = new XYSeries("REST publish p99 (ms)");
        XYSeries endToEnd = new XYSeries("publish to delivered p99 (ms)");
        for (Timeline.LatencySample sample : timeline.latencies()) {
            rest.add(sample.second(), sample.restP99Millis());
            endToEnd.add(sample.second(), sample.endToEndP99Millis());
        }
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(new NumberAxis("seconds into the run"));
        plot.add(subplot("per second", List.of(accepted, delivered, bareBean), List.of(RED, BLUE, Color.GRAY)), 3);
        plot.add(subplot("milliseconds (open loop, per second sent)", List.of(rest, endToEnd), List.of(GREEN, ORANGE)), 2);
        for (Timeline.Mark mark : timeline.marks()) {
            ValueMarker marker = new ValueMarker(mark.second(), Color.GRAY, new BasicStroke(1f));
            marker.setLabel(mark.phase());
            marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
            marker.setLabelTextAnchor(TextAnchor.TOP_LEFT);
            ((XYPlot) plot.getSubplots().get(0)).addDomainMarker(marker);
        }
        return new JFreeChart("Throughput and latency: " + figures.get("server") + " (" + figures.get("commit") + ")",
                JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    }

    private static final Color RED = new Color(0xC0392B);
    private static final Color BLUE = new Color(0x2E86C1);
    private static final Color GREEN = new Color(0x1E8449);
    private static final Color ORANGE = new Color(0xD68910);

    private static XYPlot subplot(String axis, List<XYSeries> series, List<Color> colors) {
        XYSeriesCollection data = new XYSeriesCollection();
        series.forEach(data::addSeries);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < colors.size(); i++) {
            renderer.setSeriesPaint(i, colors.get(i));
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        XYPlot plot = new XYPlot(data, null, new NumberAxis(axis), renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return plot;
    }

    /** The commit the run measured, marked when the working tree differs from it. */
    static String commit(Path repository) {
        try {
            String head = git(repository, "rev-parse", "--short", "HEAD");
            return git(repository, "status", "--porcelain", "--untracked-files=no").isEmpty() ? head : head + "-dirty";
        } catch (IOException | InterruptedException e) {
            return "unknown";
        }
    }

    private static String git(Path repository, String... arguments) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("git"));
        command.addAll(List.of(arguments));
        Process git = new ProcessBuilder(command).directory(repository.toFile()).redirectErrorStream(true).start();
        String output = new String(git.getInputStream().readAllBytes()).trim();
        if (git.waitFor() != 0) {
            throw new IOException(output);
        }
        return output;
    }
}
