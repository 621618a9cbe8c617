package dev.notify.it;

import java.io.File;

import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The system's headless Chromium (Debian's chromium and chromium-driver, which .ci/run installs;
 * NOTIFY_IT_CHROMIUM and NOTIFY_IT_CHROMEDRIVER name others).
 */
final class Browser {

    private Browser() {
    }

    static WebDriver open() {
        ChromeOptions options = new ChromeOptions()
                .setBinary(System.getenv().getOrDefault("NOTIFY_IT_CHROMIUM", "/usr/bin/chromium"))
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-background-networking", "--disable-component-update", "--no-first-run",
                        "--window-size=1400,1000");
        ChromeDriverService driver = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(System.getenv().getOrDefault("NOTIFY_IT_CHROMEDRIVER", "/usr/bin/chromedriver")))
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(driver, options);
    }
}
