package dev.notify.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operations console in a real browser: the system's headless Chromium (Debian's chromium and
 * chromium-driver, which .ci/run installs), logged in as the operator.
 */
class AdminConsoleIT extends DeployedService {

    private static final Duration DEAD_LETTERED = Duration.ofSeconds(60);

    private WebDriver browser;
    private WebDriverWait wait;

    @BeforeEach
    void openBrowser() {
        browser = Browser.open();
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    }

    @AfterEach
    void closeBrowser() {
        browser.quit();
    }

    @Test
    void operatorReplaysADeadLetterFromTheConsoleAndItIsDelivered() {
        String userId = "console-user-" + ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L);
        String phone = "+49" + ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L);
        assertEquals(201, api.put("users/" + userId, Json.createObjectBuilder().add("phone", phone).build().toString()).status());
        assertEquals(200, api.put("users/" + userId + "/preferences",
                "{\"event_types\": {\"payment.failed\": {\"channels\": [\"sms\"]}}}").status());
        TestInfrastructure.sinks().failNext("sms", "503", 5);
        JsonObject event = Api.event("payment.failed", Json.createObjectBuilder().add("payment_id", "p-console"))
                .add("user_id", userId).build();
        assertEquals(202, api.publish(event).status());
        await().atMost(DEAD_LETTERED).until(() -> notificationStatus(event).equals("dead-lettered"));

        openConsole();
        new Select(browser.findElement(By.id("queue"))).selectByValue("DLQ.notification.sms");
        search(userId);
        clickDeadLetterOf(event.getString("event_id"));
        wait.withMessage(this::consoleStatus)
                .until(ExpectedConditions.textToBePresentInElementLocated(By.id("detail-reason"), "answered 503"));
        assertEquals(5, browser.findElements(By.cssSelector("#detail-failures li")).size(), "one reason per attempt");

        browser.findElement(By.id("retry")).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();

        await().atMost(Duration.ofSeconds(20)).until(() -> notificationStatus(event).equals("sent"));
        assertEquals(1, TestInfrastructure.sinks().received("sms").stream()
                .filter(request -> request.body().contains(phone)).count(), "delivered once, after the replay");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("dead-letter-count"), "0 message(s) match"));
    }

    @Test
    void payloadIsShownAsTextAndCannotInjectScript() {
        String userId = "console-xss-" + UUID.randomUUID();
        String hostile = "<script>window.injected = true</script><img src=x onerror=\"window.injected = true\">";
        JsonObject event = Json.createObjectBuilder()
                .add("event_id", "xss-" + UUID.randomUUID())
                .add("event_type", "order.placed")
                .add("user_id", userId)
                .add("timestamp", Instant.now().toString())
                .add("payload", Json.createObjectBuilder().add("note", hostile))
                .build();
        Broker.produce(jms -> jms.createProducer().setProperty("JMSXGroupID", userId).setProperty("event_id", event.getString("event_id"))
                .send(jms.createTopic(Broker.EVENTS_TOPIC), event.toString()));
        await().atMost(Duration.ofSeconds(15)).until(() -> api.get("admin/dead-letters/DLQ.notification.events?user_id=" + userId)
                .json().getInt("total") == 2);

        openConsole();
        new Select(browser.findElement(By.id("queue"))).selectByValue("DLQ.notification.events");
        search(userId);
        clickDeadLetterOf(event.getString("event_id"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("payload"), "<script>"));

        assertTrue(browser.findElement(By.id("payload")).getText().contains(hostile.replace("\"", "\\\"")),
                "the payload shown as the text it is");
        assertEquals(List.of(), browser.findElements(By.cssSelector("#payload script, #payload img")));
        assertNull(((JavascriptExecutor) browser).executeScript("return window.injected;"));
    }

    @Test
    void consoleOpensOnTheFullestDeadLetterQueueAndDeletesWhatMatches() {
        String purged = invalidEventDeadLettered();
        String kept = invalidEventDeadLettered();
        String fullest = fullestDeadLetterQueue();

        openConsole();
        wait.until(driver -> new Select(driver.findElement(By.id("queue"))).getFirstSelectedOption().getText().equals(fullest));

        new Select(browser.findElement(By.id("queue"))).selectByValue("DLQ.notification.events");
        search(purged);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("dead-letter-count"), "2 message(s) match"));
        browser.findElement(By.id("purge-selection")).click();
        Alert confirmation = wait.until(ExpectedConditions.alertIsPresent());
        assertEquals("Delete the 2 matching message(s) of DLQ.notification.events for good?", confirmation.getText());
        confirmation.accept();

        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("dead-letter-count"), "0 message(s) match"));
        assertEquals(0, deadLettersOf(purged));
        assertEquals(2, deadLettersOf(kept), "what did not match stays");
    }

    @Test
    void lagLegendShowsEachQueuesColourAndMessages() {
        openConsole();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#lag-legend .legend-entry")));

        List<WebElement> entries = browser.findElements(By.cssSelector("#lag-legend .legend-entry"));
        List<String> queues = entries.stream().map(entry -> entry.getText().substring(0, entry.getText().lastIndexOf(' '))).toList();
        assertTrue(queues.containsAll(List.of("router", "activity", "notification.email", "notification.sms", "notification.push")),
                queues.toString());
        List<String> colours = entries.stream()
                .map(entry -> entry.findElement(By.className("swatch")).getCssValue("background-color")).toList();
        assertEquals(colours.size(), colours.stream().distinct().count(), "one colour per queue: " + colours);
    }

    /** An event that the router and the timeline both dead-letter at once (no payload); its user id. */
    private String invalidEventDeadLettered() {
        String userId = "console-purge-" + UUID.randomUUID();
        JsonObject event = Json.createObjectBuilder().add("event_id", "purge-" + UUID.randomUUID())
                .add("event_type", "order.placed").add("user_id", userId).add("timestamp", Instant.now().toString()).build();
        Broker.produce(jms -> jms.createProducer().setProperty("JMSXGroupID", userId).setProperty("event_id", event.getString("event_id"))
                .send(jms.createTopic(Broker.EVENTS_TOPIC), event.toString()));
        await().atMost(Duration.ofSeconds(15)).until(() -> deadLettersOf(userId) == 2);
        return userId;
    }

    private int deadLettersOf(String userId) {
        return api.get("admin/dead-letters/DLQ.notification.events?user_id=" + userId).json().getInt("total");
    }

    /** The dead-letter queue holding the most messages, the first of them in the API's order. */
    private String fullestDeadLetterQueue() {
        JsonObject fullest = null;
        for (JsonObject queue : api.get("admin/destinations").jsonArray().getValuesAs(JsonObject.class)) {
            if (queue.getString("kind").equals("dead-letter")
                    && queue.getJsonNumber("messages").longValue() > (fullest == null ? 0 : fullest.getJsonNumber("messages").longValue())) {
                fullest = queue;
            }
        }
        return fullest.getString("name");
    }

    /** As the operator: the browser answers the console's Basic challenge with these credentials. */
    private void openConsole() {
        browser.get("http://" + System.getenv("NOTIFY_OPERATOR_USER") + ":" + System.getenv("NOTIFY_OPERATOR_PASSWORD")
                + "@127.0.0.1:" + deploymentUrl.getPort() + "/admin/");
        wait.withMessage(() -> "the console's status: " + consoleStatus())
                .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#destinations tr[data-queue='router']")));
    }

    private String consoleStatus() {
        List<WebElement> status = browser.findElements(By.id("status"));
        return status.isEmpty() ? "no console at " + browser.getCurrentUrl() + ": " + browser.getPageSource()
                : status.get(0).getText() + "; error shown: " + browser.findElement(By.id("error")).getText();
    }

    /** The listing may be drawn again under the pointer (the queue's listing, then the search's): clicked once it holds still. */
    private void clickDeadLetterOf(String eventId) {
        By row = By.xpath("//table[@id='dead-letters']/tbody/tr[td[2]='" + eventId + "']");
        wait.ignoring(StaleElementReferenceException.class).until(driver -> {
            driver.findElement(row).click();
            return true;
        });
    }

    private void search(String userId) {
        WebElement user = browser.findElement(By.id("user-id"));
        user.clear();
        user.sendKeys(userId);
        browser.findElement(By.id("search")).click();
    }
}
