package io.shardgate.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardgate.config.PoolConfig;
import io.shardgate.config.ServerConfig;
import io.shardgate.testsupport.ExternalServer;
import io.shardgate.testsupport.LightLoad;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The status page in a real headless Chromium (Debian's, driven through Debian's chromedriver by Selenium; no
 * driver or browser is ever downloaded): a proxy with two pools of real memcached under light load, every pool and
 * server shown with live figures, then two servers killed by PID: the one in the auto-ejecting pool must show as
 * ejected within a few seconds, the other as failing. Screenshots go to {@code target/status-page/}; the page must
 * load nothing from outside the proxy and log no error.
 *
 * <p>{@code -Dstatus.page.settle=S} waits S more seconds before each screenshot, for longer sparklines (the
 * screenshots in docs/ were taken so).
 */
class StatusPageBrowserIT {
    private static final Path SHOTS = Path.of("target", "status-page");
    /** How soon after a kill the page must show the ejection: a 1 s sample, a 1 s refresh, and slack for a busy CI. */
    private static final Duration EJECTION_SHOWN_WITHIN = Duration.ofSeconds(8);
    private static final long SETTLE_MS = Long.getLong("status.page.settle", 0) * 1000;

    @TempDir
    Path profile;

    @Test
    void everyPoolAndServerLiveAndAKilledServerEjectedWithinSeconds() throws Exception {
        Files.createDirectories(SHOTS);
        try (StatusFixture fixture = new StatusFixture();
                LightLoad load = LightLoad.start(fixture.poolPorts(), 300)) {
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(new File(ExternalServer.requireProgram("chromedriver")))
                    .usingAnyFreePort()
                    .withLogFile(SHOTS.resolve("chromedriver.log").toFile())
                    .build();
            ChromeDriver driver = new ChromeDriver(service, options());
            try {
                run(fixture, driver, load);
            } finally {
                driver.quit();
                service.stop();
            }
        }
    }

    private ChromeOptions options() {
        ChromeOptions options = new ChromeOptions();
        // the browser binary and the driver are both given, so Selenium Manager has nothing to look up or fetch
        options.setBinary(ExternalServer.requireProgram("chromium"));
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--hide-scrollbars", "--window-size=1400,1000",
                "--user-data-dir=" + profile.toAbsolutePath());
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        return options;
    }

    /**
     * What the page shows, read in one script so a refresh cannot swap the DOM between two reads: the summary, the
     * process card, each pool card and each server row.
     */
    private static final String READ_PAGE = String.join("\n",
            "var text = function (e) { return e ? e.innerText : ''; };",
            "return {",
            "  summary: text(document.getElementById('summary')),",
            "  process: text(document.getElementById('process')),",
            "  sampledAt: document.body.getAttribute('data-sampled-at') || '',",
            "  pools: Array.from(document.querySelectorAll('section.pool')).map(function (p) {",
            "    return { name: p.getAttribute('data-pool'), cls: p.className, text: text(p) }; }),",
            "  rows: Array.from(document.querySelectorAll('tr.srv')).map(function (r) {",
            "    return { pool: r.closest('section.pool').getAttribute('data-pool'),",
            "      server: r.getAttribute('data-server'), state: r.getAttribute('data-state'), cls: r.className,",
            "      text: text(r), rps: text(r.querySelector(\"td[data-field='rps']\")),",
            "      p50: text(r.querySelector(\"td[data-field='p50']\")),",
            "      sparks: r.querySelectorAll('svg.spark').length,",
            "      ejectedSteps: r.querySelectorAll('svg.spark rect.out').length }; })",
            "};");

    /** One server row as {@link #READ_PAGE} reads it. */
    record Row(String pool, String server, String state, String cls, String text, String rps, String p50, long sparks,
            long ejectedSteps) {
        boolean hasLiveFigures() {
            return !rps.isEmpty() && !rps.equals("\u2014") && Double.parseDouble(rps.replace(",", "")) > 0
                    && (p50.endsWith("\u00B5s") || p50.endsWith("ms"));
        }
    }

    /** The page as {@link #READ_PAGE} reads it. */
    record Page(String summary, String process, String sampledAt, List<Map<String, Object>> pools, List<Row> rows) {
        Row row(String server) {
            return rows.stream().filter(r -> r.server().equals(server)).findFirst()
                    .orElseThrow(() -> new AssertionError("no row for " + server + " in " + rows));
        }

        Map<String, Object> pool(String name) {
            return pools.stream().filter(p -> name.equals(p.get("name"))).findFirst()
                    .orElseThrow(() -> new AssertionError("no pool " + name));
        }
    }

    @SuppressWarnings("unchecked")
    private static Page read(WebDriver driver) {
        Map<String, Object> m = (Map<String, Object>) ((JavascriptExecutor) driver).executeScript(READ_PAGE);
        List<Row> rows = new ArrayList<>();
        for (Map<String, Object> r : (List<Map<String, Object>>) m.get("rows")) {
            rows.add(new Row((String) r.get("pool"), (String) r.get("server"), (String) r.get("state"),
                    (String) r.get("cls"), (String) r.get("text"), (String) r.get("rps"), (String) r.get("p50"),
                    ((Number) r.get("sparks")).longValue(), ((Number) r.get("ejectedSteps")).longValue()));
        }
        return new Page((String) m.get("summary"), (String) m.get("process"), (String) m.get("sampledAt"),
                (List<Map<String, Object>>) m.get("pools"), rows);
    }

    private void run(StatusFixture fixture, ChromeDriver driver, LightLoad load) throws Exception {
        String base = fixture.baseUrl();
        driver.get(base + "/");
        JavascriptExecutor js = (JavascriptExecutor) driver;
        js.executeScript("performance.setResourceTimingBufferSize(10000)");
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30), Duration.ofMillis(200));

        // every pool and every server, with live figures
        List<String> expectedServers = new ArrayList<>();
        for (PoolConfig pool : fixture.config().pools()) {
            for (ServerConfig s : pool.servers()) expectedServers.add(pool.name() + "/" + s.statsName());
        }
        wait.withMessage("every server row with requests/s and p50 figures").until(d -> {
            List<Row> rows = read(d).rows();
            return rows.size() == expectedServers.size() && rows.stream().allMatch(Row::hasLiveFigures);
        });
        Page live = read(driver);
        assertThat(live.rows()).extracting(r -> r.pool() + "/" + r.server()).containsExactlyElementsOf(expectedServers);
        assertThat(live.rows()).extracting(Row::state).containsOnly("up");
        assertThat(live.pools()).extracting(p -> p.get("name")).containsExactly("alpha", "beta");
        for (PoolConfig config : fixture.config().pools()) {
            assertThat((String) live.pool(config.name()).get("text")).contains(config.listen().toString(),
                    config.distribution().configName(), config.hash().configName());
        }
        assertThat(live.summary()).contains("all up", "5 servers in 2 pools");
        assertThat(live.process()).contains("status-test.yml", "never", fixture.proxy().stats().config().state().digest());
        // live: the page keeps taking new figures
        wait.withMessage("a newer sample").until(d -> !read(d).sampledAt().equals(live.sampledAt()));
        wait.withMessage("a sparkline in every row").until(d -> read(d).rows().stream().allMatch(r -> r.sparks() == 1));
        settle();
        Path healthy = screenshot(driver, "healthy.png", 1400, false);

        // kill one server of each pool by its PID
        long killed = System.nanoTime();
        fixture.alpha(1).kill();
        fixture.beta(1).kill();
        new WebDriverWait(driver, EJECTION_SHOWN_WITHIN, Duration.ofMillis(100))
                .withMessage("cache-b shown as ejected within " + EJECTION_SHOWN_WITHIN)
                .until(d -> read(d).row("cache-b").state().equals("ejected"));
        long shownMs = (System.nanoTime() - killed) / 1_000_000;
        String failing = "127.0.0.1:" + fixture.beta(1).port();
        wait.withMessage("beta's killed server shown as failing")
                .until(d -> read(d).row(failing).state().equals("failing"));
        Page degraded = read(driver);
        Row ejected = degraded.row("cache-b");
        assertThat(ejected.text()).contains("ejected", "since", "retry at");
        assertThat(ejected.cls()).contains("ejected");
        assertThat(degraded.row(failing).text()).contains("failing", "failed connection");
        assertThat(degraded.summary()).contains("1 ejected", "1 failing", "of 5 servers in 2 pools");
        assertThat((String) degraded.pool("alpha").get("cls")).contains("has-ejected");
        assertThat(degraded.row("cache-a").state()).isEqualTo("up");
        assertThat(degraded.row("cache-c").state()).isEqualTo("up");
        wait.withMessage("the ejection shaded in cache-b's sparkline")
                .until(d -> read(d).row("cache-b").ejectedSteps() > 0);
        settle();
        Path degradedShot = screenshot(driver, "degraded.png", 1400, false);
        Path phone = screenshot(driver, "degraded-phone.png", 390, true);
        Object overflow = js.executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
        assertThat(((Number) overflow).intValue()).as("no sideways scrolling on a phone").isLessThanOrEqualTo(0);

        // nothing was requested from anywhere but the proxy, and the page logged no error
        @SuppressWarnings("unchecked")
        List<String> requested = (List<String>) js.executeScript(
                "return performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))"
                        + ".map(function (e) { return e.name; })");
        assertThat(requested).contains(base + "/", base + "/status.css", base + "/status.js", base + "/status.json");
        assertThat(requested).allSatisfy(url -> assertThat(url).startsWith(base + "/"));
        List<LogEntry> errors = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue()).toList();
        assertThat(errors).as("browser console warnings and errors").isEmpty();
        assertThat(load.ok()).isPositive();
        for (Path shot : List.of(healthy, degradedShot, phone)) assertThat(Files.size(shot)).isGreaterThan(10_000);
        System.out.printf("status page: ejection shown %d ms after the kill; screenshots in %s%n", shownMs,
                SHOTS.toAbsolutePath());
    }

    private static void settle() throws InterruptedException {
        if (SETTLE_MS > 0) Thread.sleep(SETTLE_MS);
    }

    /**
     * The whole page laid out {@code width} CSS pixels wide, as a PNG under target/status-page/: the viewport is
     * emulated through the DevTools protocol (via chromedriver), first to measure the page's height at that width,
     * then at that height, so nothing is cut off.
     */
    private static Path screenshot(ChromeDriver driver, String name, int width, boolean mobile)
            throws InterruptedException {
        emulate(driver, width, 900, mobile);
        Thread.sleep(300); // relayout, then measure
        Number height = (Number) driver.executeScript("return Math.ceil(document.body.getBoundingClientRect().height)");
        emulate(driver, width, Math.min(6000, height.intValue()), mobile);
        Thread.sleep(1_200); // one more refresh at that size
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png"));
        Path target = SHOTS.resolve(name);
        try {
            Files.write(target, Base64.getDecoder().decode((String) shot.get("data")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    private static void emulate(ChromeDriver driver, int width, int height, boolean mobile) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", mobile));
    }
}
