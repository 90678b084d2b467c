package trm4j.serve;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.internal.HttpConnection;

/**
 * Closes a connection whose request header has been arriving for longer than the deadline. A client
 * that sends a header a byte now and then is never idle long enough for the idle timeout, and would
 * hold its connection for as long as it likes. Jetty has no bound of its own on header time, so each
 * connection is looked at {@link #TICKS} times per deadline: a header seen in progress on more
 * ticks in a row than that, with no request completed in between, is cut (after 1 to 1.25 deadlines).
 * A connection idle between requests is left to the idle timeout. The parser's state is only
 * reachable through Jetty's internal HttpConnection (12.1): ServiceTest fails if an upgrade moves it.
 */
final class HeaderDeadline implements Connection.Listener {
    private static final int TICKS = 4;
    private final Server server;
    private final long tickMillis;

    HeaderDeadline(Server server, Duration deadline) {
        this.server = server;
        this.tickMillis = Math.max(1, deadline.toMillis() / TICKS);
    }

    @Override
    public void onOpened(Connection c) {
        if (c instanceof HttpConnection http) watch(http, 0, 0);
    }

    /** {@code seen}: ticks in a row that found a header in progress, all while {@code requests} had completed. */
    private void watch(HttpConnection c, int seen, long requests) {
        server.getScheduler().schedule(() -> {
            if (!c.getEndPoint().isOpen()) return;
            HttpParser parser = c.getParser();
            boolean inHeader = parser.inHeaderState() && !parser.isStart();   // START: nothing of a request yet
            long done = c.getMessagesIn();
            int now = !inHeader ? 0 : seen > 0 && done == requests ? seen + 1 : 1;
            if (now > TICKS) c.getEndPoint().close();
            else watch(c, now, done);
        }, tickMillis, TimeUnit.MILLISECONDS);
    }
}
