package dev.notify.bench;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonWriter;
import jakarta.json.stream.JsonGenerator;

/** The fault-injection suite's rows as chaos.json (the keys) and chaos.md. */
record ChaosReport(String server, boolean cluster, boolean quick, double rate, List<Chaos.Row> rows) {

    void write(Path directory) throws IOException {
        Files.createDirectories(directory);
        Files.writeString(directory.resolve("chaos.json"), json());
        Files.writeString(directory.resolve("chaos.md"), markdown());
        System.out.println(markdown());
        Benchmark.say("Written: " + directory.resolve("chaos.json") + " and chaos.md");
    }

    private String json() {
        JsonArrayBuilder array = Json.createArrayBuilder();
        for (Chaos.Row row : rows) {
            JsonArrayBuilder failures = Json.createArrayBuilder();
            row.failures().forEach(failures::add);
            array.add(Json.createObjectBuilder()
                    .add("scenario", row.scenario()).add("accepted", row.accepted()).add("accepted_floor", row.acceptedFloor())
                    .add("processed", row.processed())
                    .add("notifications_expected", row.notificationsExpected()).add("delivered_distinct", row.deliveredDistinct())
                    .add("dead_lettered_explained", row.deadLetteredExplained()).add("false_dead_letters", row.falseDeadLetters())
                    .add("dlq_unexplained", row.dlqUnexplained())
                    .add("sent_twice", row.sentTwice()).add("sent_twice_bound", row.sentTwiceBound())
                    .add("lost", row.lost()).add("stuck", row.stuck())
                    .add("out_of_order", row.outOfOrder())
                    .add("poison_in_dlq", row.poisonInDlq())
                    .add("prepared_left", row.preparedLeft())
                    .add("fault_confirmed", row.faultConfirmed()).add("fault", row.fault()).add("back_by_itself", row.back())
                    .add("swept", row.swept()).add("swept_events", row.sweptEvents()).add("sweep_allowed", row.sweepAllowed())
                    .add("broker_back_s", row.brokerBackS()).add("routed_s", row.routedS()).add("recovery_s", row.recoveryS())
                    .add("errors_5xx", row.errors5xx()).add("errors_500", row.errors500()).add("unanswered", row.unanswered())
                    .add("passed", row.passed()).add("failures", failures));
        }
        StringWriter text = new StringWriter();
        try (JsonWriter writer = Json.createWriterFactory(Map.of(JsonGenerator.PRETTY_PRINTING, true)).createWriter(text)) {
            writer.write(Json.createObjectBuilder().add("server", server).add("brokers", cluster ? "ha-pair" : "one").add("mode", quick ? "quick" : "full")
                    .add("events_per_s", rate).add("scenarios", array).build());
        }
        return text + "\n";
    }

    private String markdown() {
        StringBuilder md = new StringBuilder("# Fault injection: " + server + (cluster ? " with the brokers as an HA pair" : "")
                + " (" + (quick ? "quick" : "full") + ", "
                + LocalDate.now() + ", " + rate + " payment.failed events/s, email, SMS and push each)\n\n"
                + "| scenario | accepted (floor) | processed | notifications expected | delivered distinct | dead-lettered, explained"
                + " | false dead letters | unexplained in DLQ | sent twice (bound) | lost | stuck"
                + " | out of order | poison in DLQ | prepared left | fault confirmed | back by itself | swept (events) | broker back s | routed s | recovery s"
                + " | 5xx (of them 500) | unanswered | passed |\n"
                + "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (Chaos.Row row : rows) {
            md.append(String.format("| %s | %d (≥ %d) | %d | %d | %d | %d | %d | %s | %d (≤ %d) | %d | %d | %d | %s | %d | %s | %s | %s | %s | %s | %s | %d (%d) | %d | %s |%n",
                    row.scenario(), row.accepted(), row.acceptedFloor(), row.processed(), row.notificationsExpected(), row.deliveredDistinct(),
                    row.deadLetteredExplained(), row.falseDeadLetters(), row.dlqUnexplained() < 0 ? "not browsed" : Long.toString(row.dlqUnexplained()),
                    row.sentTwice(), row.sentTwiceBound(), row.lost(), row.stuck(), row.outOfOrder(),
                    row.poisonInDlq().isEmpty() ? "-" : row.poisonInDlq(), row.preparedLeft(), row.faultConfirmed() ? "yes" : "**no**", row.back() ? "yes" : "**no**",
                    row.swept() < 0 ? "unread" : row.swept() + " (" + row.sweptEvents() + ")",
                    seconds(row.brokerBackS()), seconds(row.routedS()), seconds(row.recoveryS()), row.errors5xx(), row.errors500(),
                    row.unanswered(), row.passed() ? "yes" : "**no**"));
        }
        md.append("\nThe faults, as confirmed, and the rules each scenario broke:\n\n");
        for (Chaos.Row row : rows) {
            md.append("- ").append(row.scenario()).append(": ").append(row.fault())
                    .append(row.passed() ? "" : "; **broke**: " + String.join("; ", row.failures())).append('\n');
        }
        return md.toString();
    }

    /** "n/a" where nothing timed it: no broker killed, or no event accepted after the fault reached that far. */
    private static String seconds(double seconds) {
        return seconds < 0 ? "n/a" : String.format("%.1f", seconds);
    }
}
