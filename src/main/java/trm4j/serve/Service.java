package trm4j.serve;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;

import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.Scheduler;
import sun.misc.Signal;

import trm4j.DidYouMean;
import trm4j.api.InvalidInputException;
import trm4j.api.Model;
import trm4j.api.ModelInfo;
import trm4j.api.Progress;
import trm4j.api.Trm4jException;

/**
 * {@code trm4j serve}: a model behind a small JSON service, and the page that shows its
 * recursion at work, on Jetty's core server. Everything computes through the library API.
 *
 * <p>Work is bounded: the model answers one request at a time (its own contract), at most
 * {@code queue} more wait, and a request that would wait longer is answered 503 with Retry-After.
 * A request's work is bounded before it starts (its body, its task's test inputs and cells, its
 * versions x test inputs), its body must arrive within a deadline, and at {@code timeout} it is
 * answered 503 and its computation stops. Every answer is JSON, the server's own refusals of
 * malformed HTTP too. {@link #stop} lets the requests in flight finish, within a bound, before the
 * server ends.
 */
public final class Service implements AutoCloseable {
    /**
     * @param queue       requests that may wait for the model beside the one it answers
     * @param timeout     the longest a request waits for its answer (an adaptation job has its own budget: the request's seconds, 60 by default)
     * @param maxBody     the largest request body, in bytes
     * @param maxVersions the most ARC versions a request may ask for
     * @param maxAnswers  the most versions x test inputs one ARC request may ask the network to answer
     */
    public record Settings(String host, int port, int queue, Duration timeout, int maxBody, int maxVersions, int maxAnswers) {
        /** Settings out of bounds are an {@link InvalidInputException} naming the flag. */
        public Settings {
            if (port < 0 || port > 65535) throw new InvalidInputException("--port " + port + ": not a port");
            if (queue < 0 || queue > 10_000) throw new InvalidInputException("--queue " + queue + ": must be in 0..10000");
            if (timeout == null || timeout.compareTo(Duration.ofMillis(100)) < 0 || timeout.compareTo(Duration.ofSeconds(3600)) > 0)   // the command line gives whole seconds; the API may give less
                throw new InvalidInputException("--timeout " + (timeout == null ? "null" : timeout.toString()) + ": must be in 1..3600 seconds");
            if (maxVersions < 1 || maxAnswers < 1) throw new InvalidInputException("Settings: maxVersions and maxAnswers must be at least 1");
        }

        /** 64 versions of a task with 4 test inputs (the most any public ARC task has) is the most one request may ask. */
        public static Settings defaults() {
            return new Settings("127.0.0.1", 8080, 16, Duration.ofSeconds(60), 1 << 20, 64, 256);
        }

        public Settings on(String h, int p) { return new Settings(h, p, queue, timeout, maxBody, maxVersions, maxAnswers); }
        public Settings withQueue(int q) { return new Settings(host, port, q, timeout, maxBody, maxVersions, maxAnswers); }
        public Settings withTimeout(Duration t) { return new Settings(host, port, queue, t, maxBody, maxVersions, maxAnswers); }
        public Settings withLimits(int versions, int answers) { return new Settings(host, port, queue, timeout, maxBody, versions, answers); }

        /** How long a request's header, and then its body, may take to arrive, whole: 10 s, or the timeout when it is shorter. */
        Duration arrivalDeadline() {
            return timeout.compareTo(ARRIVAL_DEADLINE) < 0 ? timeout : ARRIVAL_DEADLINE;
        }
    }

    private static final Duration ARRIVAL_DEADLINE = Duration.ofSeconds(10);
    /** How long {@link #stop} waits, after the requests in flight were answered, for computations told to stop. */
    private static final Duration DRAIN = Duration.ofSeconds(5);

    private static final Set<String> ROUTES = Set.of("/health", "/v1/model", "/metrics", "/v1/puzzle", "/v1/solve", "/v1/adapt");
    private static final Map<String, String> PAGE = Map.of("/", "index.html", "/index.html", "index.html", "/page.js", "page.js", "/page.css", "page.css");

    private final Model model;
    private final ModelInfo info;
    private final Settings settings;
    private final boolean loopback;   // listening on this machine only: requests must name it
    private final ThreadPoolExecutor worker, jobs;
    private final AtomicInteger running = new AtomicInteger();
    private final Metrics metrics;
    private final Map<Long, Job> jobTable;
    private final AtomicLong jobIds = new AtomicLong();
    private final Server jetty;
    private final GracefulHandler graceful;
    private volatile boolean stopping;   // asked by every computation between its batches
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean drained;

    private Service(Model model, Settings s) {
        this.model = model;
        this.info = model.info();
        this.settings = s;
        this.loopback = loopback(s.host());
        this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(s.queue()), r -> daemon(r, "trm4j-model"));
        this.jobs = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(4), r -> daemon(r, "trm4j-adapt"));
        this.metrics = new Metrics(() -> worker.getQueue().size(), running::get);
        this.jobTable = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, false) {
            @Override protected boolean removeEldestEntry(Map.Entry<Long, Job> e) {
                return size() > 64;
            }
        });
        QueuedThreadPool threads = new QueuedThreadPool(32, 4);
        threads.setName("trm4j-http");
        threads.setDaemon(true);
        this.jetty = new Server(threads);
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost(s.host());
        connector.setPort(s.port());
        connector.setIdleTimeout(30_000);
        connector.addEventListener(new HeaderDeadline(jetty, s.arrivalDeadline()));
        jetty.addConnector(connector);
        this.graceful = new GracefulHandler(new Routes());
        jetty.setHandler(graceful);
        jetty.setErrorHandler(new JsonErrors());
        jetty.setStopTimeout(s.timeout().toMillis() + 5_000);
        jetty.setStopAtShutdown(false);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Starts serving a model; a port of 0 takes a free one, and one that cannot be listened on is a {@link Trm4jException}. */
    public static Service start(Model model, Settings s) {
        Service service = new Service(model, s);
        try {
            service.jetty.start();
        } catch (Exception e) {
            service.worker.shutdownNow();
            service.jobs.shutdownNow();
            String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            throw new Trm4jException("cannot listen on " + s.host() + ":" + s.port() + " (" + why + "): " + switch (cause(e)) {
                case PORT_TAKEN -> "is it in use? choose another --port";
                case NOT_THIS_MACHINE -> "is " + s.host() + " an address of this machine? choose another --host (127.0.0.1: this machine only; 0.0.0.0: every address)";
                case OTHER -> "choose another --port or --host";
            });
        }
        return service;
    }

    private enum BindFailure { PORT_TAKEN, NOT_THIS_MACHINE, OTHER }

    /** Why a start failed, where the socket's error says: the port taken, or a host that is no address of this machine. */
    private static BindFailure cause(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof java.nio.channels.UnresolvedAddressException) return BindFailure.NOT_THIS_MACHINE;
            if (c instanceof java.net.BindException b && b.getMessage() != null) {
                if (b.getMessage().contains("in use")) return BindFailure.PORT_TAKEN;
                if (b.getMessage().contains("assign")) return BindFailure.NOT_THIS_MACHINE;   // EADDRNOTAVAIL
            }
        }
        return BindFailure.OTHER;
    }

    public int port() {
        return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
    }

    public URI uri() {
        return URI.create("http://" + settings.host() + ":" + port() + "/");
    }

    /**
     * Serves until SIGINT or SIGTERM, then lets the requests in flight finish (within the timeout + 10 s) and stops;
     * {@code say} is told what happens. Closes the model unless a computation did not stop when told to: closing
     * would wait for it, so it is left to the end of the process.
     */
    public static void serveUntilSignalled(Model model, Settings s, String what, Consumer<String> say) throws InterruptedException {
        boolean drained = true;
        try {
            Service service = start(model, s);
            Runnable stop = () -> {
                say.accept("\ntrm4j: stopping: the requests in flight finish first (within " + (s.timeout().toSeconds() + 10) + " s)");
                try {
                    service.stop();
                } catch (Exception e) {
                    say.accept("trm4j: " + e.getMessage());
                }
            };
            for (String sig : new String[] {"INT", "TERM"}) Signal.handle(new Signal(sig), x -> new Thread(stop, "trm4j-stop").start());
            say.accept(String.format("trm4j: serving %s (%s %s model) at %s", what, model.info().method().name(), model.kind().name().toLowerCase(), service.uri()));
            drained = service.join();
            say.accept(drained ? "trm4j: stopped" : "trm4j: stopped, leaving a computation that did not stop when told to");
        } finally {
            if (drained) model.close();   // a model still computing is left to the end of the process: closing it would wait for it
        }
    }

    /**
     * Waits until {@link #stop} has ended the service. True when every computation ended with it;
     * false when one was still running (stuck in a call that does not return), so the model is
     * still in use and is best left to the end of the process.
     */
    public boolean join() throws InterruptedException {
        jetty.join();
        stopped.await();
        return drained;
    }

    /**
     * Stops taking requests and lets those in flight be answered (each within its timeout: its
     * computation stops there), tells adaptation jobs to stop, and waits a little more for the
     * computations to end. It returns within the timeout + 10 s, whatever the computations do;
     * {@link #join} tells whether they ended.
     */
    public synchronized void stop() throws Exception {
        if (stopped.getCount() == 0) return;
        try {
            jetty.stop();   // GracefulHandler waits for the requests it counts, at most the timeout + 5 s
        } finally {
            stopping = true;
            worker.shutdownNow();   // what still waits in the queue was answered already (503 at its deadline)
            jobs.shutdownNow();
            long end = System.nanoTime() + DRAIN.toNanos();
            drained = worker.awaitTermination(DRAIN.toMillis(), TimeUnit.MILLISECONDS)
                    && jobs.awaitTermination(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            stopped.countDown();
        }
    }

    @Override public void close() throws Exception {
        stop();
    }

    // ---------------------------------------------------------------- routes

    private static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;   // Jetty names the address it cannot listen on
        }
    }

    private final class Routes extends Handler.Abstract {
        @Override public boolean handle(Request req, Response res, Callback cb) {
            long t0 = System.nanoTime();
            String path = Request.getPathInContext(req), method = req.getMethod();
            String route = path.startsWith("/v1/jobs/") ? "/v1/jobs" : PAGE.containsKey(path) ? "/" : ROUTES.contains(path) ? path : "other";
            Reply reply = (status, type, body) -> send(res, cb, route, t0, status, type, method.equals("HEAD") ? null : body, body.length);
            try {
                String host = Request.getServerName(req), from = method.equals("GET") || method.equals("HEAD") ? null : crossSite(req);
                if (loopback && !localName(host))
                    throw new Answers.BadRequest(403, "Host " + Answers.shortened(host) + ": this service listens on " + settings.host()
                            + " and answers requests that name this machine (localhost, 127.0.0.1, [::1]); a proxy in front of it must send one of those as Host");
                if (from != null)
                    throw new Answers.BadRequest(403, Answers.shortened(from) + ": a page on another site may not ask this service for work (its own page may)");
                switch (route) {
                    case "/" -> page(PAGE.get(path), method, reply);
                    case "/health" -> only(GET_HEAD, method, () -> reply.json(200, Map.of("status", "ok")));   // for load balancers and orchestrators
                    case "/v1/model" -> only(GET_HEAD, method, () -> reply.json(200, Answers.model(info)));
                    case "/metrics" -> only(GET_HEAD, method, () -> reply.send(200, "text/plain; version=0.0.4; charset=utf-8", metrics.text().getBytes(StandardCharsets.UTF_8)));
                    case "/v1/puzzle" -> only("GET", method, () -> {
                        Fields query = Request.extractQueryParameters(req);
                        for (String name : query.getNames())
                            if (!name.equals("seed")) throw new Answers.BadRequest(400, Answers.shortened(name) + ": no such parameter" + DidYouMean.of(name, List.of("seed"))
                                    + " (/v1/puzzle takes seed)");
                        long seed = seed(query.getValue("seed"));
                        compute(reply, stop -> Answers.puzzle(model.samplePuzzle(seed)));
                    });
                    case "/v1/solve" -> only("POST", method, () -> body(req, reply, b -> {
                        Answers.Solve s = Answers.solve(Answers.parse(b), info, settings.maxVersions(), settings.maxAnswers());
                        compute(reply, stop -> Answers.answer(model, s, stop));
                    }));
                    case "/v1/adapt" -> only("POST", method, () -> body(req, reply, b ->
                            adapt(Answers.adapt(Answers.parse(b), info, settings.maxVersions(), settings.maxAnswers()), reply)));
                    case "/v1/jobs" -> only(GET_HEAD, method, () -> job(path.substring("/v1/jobs/".length()), reply));
                    default -> reply.error(404, "no such route: " + path.substring(0, Math.min(path.length(), 100)) + " (see " + uri() + ")");
                }
            } catch (Answers.BadRequest e) {
                if (e instanceof NotAllowed n) res.getHeaders().put(HttpHeader.ALLOW, n.allowed);
                reply.error(e.status, e.getMessage());
            }
            return true;
        }
    }

    /** How a route answers: a status, a content type and a body. */
    private interface Reply {
        void send(int status, String type, byte[] body);

        default void json(int status, Object o) {
            send(status, "application/json", Answers.bytes(o));
        }

        default void error(int status, String message) {
            send(status, "application/json", Answers.error(message));
        }
    }

    /** {@code body} null: the answer to a HEAD, its headers only, with the length a GET's body has. */
    private void send(Response res, Callback cb, String route, long t0, int status, String type, byte[] body, int length) {
        res.setStatus(status);
        res.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
        res.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        res.getHeaders().put("X-Content-Type-Options", "nosniff");
        if (status == 503) res.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
        if (status == 408) res.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());   // the rest of the body is not read
        if (type.startsWith("text/html")) res.getHeaders().put("Content-Security-Policy", "default-src 'self'; style-src 'self'; script-src 'self'");
        metrics.record(route, status, (System.nanoTime() - t0) / 1e9);
        res.write(true, body == null ? null : ByteBuffer.wrap(body), cb);
    }

    /**
     * The methods of a route that reads: HEAD as HTTP asks (a load balancer's probe), but for
     * {@code /v1/puzzle}, whose GET computes a new puzzle that a HEAD would wait in the queue for.
     */
    private static final String GET_HEAD = "GET, HEAD";

    /** Runs a route asked with one of its methods ({@code allowed}, as the Allow header lists them); else 405. */
    private static void only(String allowed, String method, Runnable route) {
        if (!List.of(allowed.split(", ")).contains(method)) throw new NotAllowed(allowed, method + " is not allowed here; use " + allowed.replace(", ", " or "));
        route.run();
    }

    /** A 405, with the methods the route allows for its Allow header. */
    private static final class NotAllowed extends Answers.BadRequest {
        final String allowed;

        NotAllowed(String allowed, String message) {
            super(405, message);
            this.allowed = allowed;
        }
    }

    private void page(String file, String method, Reply reply) {
        only(GET_HEAD, method, () -> {
            try (InputStream in = Service.class.getResourceAsStream("/trm4j/serve/" + file)) {
                String type = file.endsWith(".html") ? "text/html; charset=utf-8" : file.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
                reply.send(200, type, in.readAllBytes());
            } catch (IOException | NullPointerException e) {
                reply.error(500, "the page is missing from the jar: " + file);
            }
        });
    }

    private static long seed(String s) {
        if (s == null) return System.nanoTime();
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new Answers.BadRequest(400, "seed: '" + Answers.shortened(s) + "'" + (s.matches("-?[0-9]+") ? " is out of range (a 64-bit whole number)" : " is not a whole number"));
        }
    }

    /**
     * Bodies up to this size are read to their end before a 413 goes out. A server that answers and
     * closes while the client is still sending resets the connection, and the client can lose the
     * answer with it (Tomcat's maxSwallowSize does the same, at 2 MB).
     */
    private static final long SWALLOW = 16L << 20;

    /**
     * Whether a request's host is a name a browser on this machine reaches a loopback service by. A page elsewhere that
     * points a name of its own at 127.0.0.1 (DNS rebinding) would be same-origin with the service; its requests carry
     * that name, and are refused.
     */
    static boolean localName(String host) {
        String h = host == null ? "" : host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
        return h.equals("localhost") || h.endsWith(".localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1") || h.matches("127(\\.[0-9]{1,3}){3}");
    }

    /**
     * Whether a request comes from a page on another site, which a browser sends without asking the service first (a form,
     * text, or a body of no type). The service's own page is same-origin; a program that is not a browser sends neither
     * header. A browser too old for Sec-Fetch-Site still sends Origin, which must then name the host the request names.
     */
    static String crossSite(Request req) {
        String site = req.getHeaders().get("Sec-Fetch-Site"), origin = req.getHeaders().get(HttpHeader.ORIGIN);
        if (site != null) return site.equals("same-origin") || site.equals("none") ? null : origin != null ? origin : "Sec-Fetch-Site " + site;
        if (origin == null) return null;
        try {
            String authority = URI.create(origin).getRawAuthority();
            return authority != null && authority.equalsIgnoreCase(req.getHeaders().get(HttpHeader.HOST)) ? null : origin;
        } catch (IllegalArgumentException e) {
            return origin;
        }
    }

    private static HttpException malformed(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) if (t instanceof HttpException h) return h;
        return null;
    }

    /** What makes a body unreadable before a byte of it is read: a field in the query would be ignored, a compressed body cannot be read. */
    private static Answers.BadRequest refusedUnread(Request req) {
        String query = req.getHttpURI().getQuery();
        if (query != null)
            return new Answers.BadRequest(400, Request.getPathInContext(req) + " takes its fields in the JSON body, not in the query (" + Answers.shortened(query) + ")");
        for (String encoding : req.getHeaders().getCSV(HttpHeader.CONTENT_ENCODING, false))
            if (!encoding.isBlank() && !encoding.strip().equalsIgnoreCase("identity"))
                return new Answers.BadRequest(415, "Content-Encoding " + Answers.shortened(encoding.strip()) + ": send the body uncompressed");
        return null;
    }

    /**
     * Reads a body of at most maxBody bytes, then runs {@code then} on it (errors answered as their
     * status). The whole body must arrive by the body deadline: a client that trickles it (one
     * byte now and then, never idle long enough for the idle timeout) is answered 408 and cut off.
     */
    private void body(Request req, Reply reply, Consumer<byte[]> then) {
        Duration limit = settings.arrivalDeadline();
        String late = "the body did not arrive within " + limit.toSeconds() + " s";
        Scheduler.Task deadline = jetty.getScheduler().schedule(() -> req.fail(new BodyDeadline()), limit.toMillis(), TimeUnit.MILLISECONDS);
        long declared = req.getLength();
        Answers.BadRequest refused = refusedUnread(req);
        if (refused == null && declared > settings.maxBody())
            refused = new Answers.BadRequest(413, "the body has " + declared + " bytes, more than the " + settings.maxBody() + " allowed");
        if (refused != null) {
            Answers.BadRequest r = refused;
            // A client waiting for "100 Continue" before it sends (curl does, for large bodies) hears the refusal instead, and never sends the body;
            // another's body is read and dropped (by the same deadline), so that it hears the refusal, not a reset connection.
            if (req.getHeaders().contains(HttpHeader.EXPECT, HttpHeaderValue.CONTINUE.asString())) {
                deadline.cancel();
                reply.error(r.status, r.getMessage());
            } else {
                swallow(req, SWALLOW, cut -> {
                    deadline.cancel();
                    reply.error(cut ? 408 : r.status, cut ? late : r.getMessage());
                });
            }
            return;
        }
        Content.Source.asByteArrayAsync(req, settings.maxBody()).whenComplete((bytes, failure) -> {
            if (failure instanceof BodyDeadline || failure != null && failure.getCause() instanceof BodyDeadline) {
                reply.error(408, late);
                return;
            }
            HttpException malformed = failure == null ? null : malformed(failure);
            if (malformed != null) {   // the framing itself is broken (a chunk size that is not one): nothing more can be read
                deadline.cancel();
                reply.error(malformed.getCode() >= 400 && malformed.getCode() < 500 ? malformed.getCode() : 400,
                        "the body is not valid HTTP framing" + (malformed.getReason() == null ? "" : " (" + malformed.getReason() + ")"));
                return;
            }
            if (failure != null) {   // over the limit: the rest is read and dropped, by the same deadline
                swallow(req, SWALLOW, cut -> {
                    deadline.cancel();
                    reply.error(cut ? 408 : 413, cut ? late : "the body is more than the " + settings.maxBody() + " bytes allowed");
                });
                return;
            }
            deadline.cancel();
            try {
                then.accept(bytes);
            } catch (Answers.BadRequest e) {
                reply.error(e.status, e.getMessage());
            }
        });
    }

    /** A body that did not arrive by its deadline. */
    private static final class BodyDeadline extends TimeoutException {}

    /** Reads and drops what is left of a body, at most {@code budget} bytes, then tells {@code then} whether the deadline cut it. */
    private static void swallow(Content.Source in, long budget, Consumer<Boolean> then) {
        long left = budget;
        for (;;) {
            Content.Chunk c = in.read();
            if (c == null) {
                long rest = left;
                in.demand(() -> swallow(in, rest, then));
                return;
            }
            left -= c.remaining();
            boolean late = Content.Chunk.isFailure(c) && c.getFailure() instanceof BodyDeadline;
            boolean end = c.isLast() || Content.Chunk.isFailure(c) || left < 0;
            c.release();
            if (end) {
                then.accept(late);
                return;
            }
        }
    }

    /**
     * Queues model work: refused at once (503) when the queue is full; a request that waited past
     * the timeout is answered 503 without computing, and one still computing at the timeout is
     * answered 503 and its work told to stop (it is asked between batches); the API's refusals are 400.
     */
    private void compute(Reply reply, Function<BooleanSupplier, Object> work) {
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        BooleanSupplier stop = () -> stopping || System.nanoTime() > deadline;
        CompletableFuture<Object> f;
        try {
            f = CompletableFuture.supplyAsync(() -> {
                if (stop.getAsBoolean()) throw new CompletionException(new TimeoutException());
                running.incrementAndGet();
                try {
                    return work.apply(stop);
                } finally {
                    running.decrementAndGet();
                }
            }, worker);
        } catch (RejectedExecutionException e) {
            reply.error(503, "busy: " + settings.queue() + " requests are waiting for the model; try again");
            return;
        }
        f.orTimeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS).whenComplete((answer, failure) -> {
            Throwable cause = failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure;
            if (cause == null) reply.json(200, answer);
            // past its deadline the work was told to stop, and how it ended (a refusal of a stopped answer) is no client's mistake
            else if (cause instanceof TimeoutException || System.nanoTime() > deadline)
                reply.error(503, "busy: no answer within " + settings.timeout().toMillis() / 1000.0 + " s; try again");
            else if (cause instanceof Trm4jException t) reply.error(400, t.getMessage());
            else reply.error(500, "the model failed: " + String.valueOf(cause.getMessage()).lines().findFirst().orElse(""));
        });
    }

    /**
     * The answers Jetty gives itself, to requests it refuses before any route sees them (a bad
     * Content-Length, Content-Length with chunked, bytes that are not HTTP, a path that climbs out,
     * headers or a URL too long, no HTTP version), in the service's JSON. A client's malformed
     * HTTP is a 4xx: Jetty's 505 for a version it does not speak becomes 400.
     */
    private final class JsonErrors extends ErrorHandler {
        @Override protected void generateResponse(Request req, Response res, int status, String message, Throwable cause, Callback cb) {
            int code = status >= 500 && cause instanceof HttpException ? 400 : status;
            String reason = message == null || message.isBlank() ? HttpStatus.getMessage(status) : message;
            String said = code == 404 ? "no such route" : code < 500 ? "the request is not one this service reads (" + status + " " + reason + ")" : reason;
            res.setStatus(code);
            res.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            res.getHeaders().put("X-Content-Type-Options", "nosniff");
            if (code == 503) res.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
            metrics.record("other", code, 0);
            res.write(true, ByteBuffer.wrap(Answers.error(said)), cb);
        }
    }

    // ---------------------------------------------------------------- adaptation jobs

    /** An adaptation job, as {@code GET /v1/jobs/ID} tells it. */
    private static final class Job {
        volatile String state = "queued", error;
        volatile long done, total;
        volatile Object result;

        Map<String, Object> json(long id) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("job", id);
            m.put("state", state);
            m.put("done", done);
            m.put("total", total);
            if (result != null) m.put("result", result);
            if (error != null) m.put("error", error);
            return m;
        }
    }

    private void adapt(Answers.Adapt a, Reply reply) {
        Job job = new Job();
        job.total = a.options().steps();
        try {
            jobs.execute(() -> {
                job.state = "running";
                BooleanSupplier stop = () -> stopping;
                try (Model adapted = model.adapt(a.task(), a.options(), (done, total) -> job.done = done, stop)) {
                    job.result = Answers.solution(adapted.solve(a.task(), a.options().versions(), a.guidance(), Progress.NONE, stop));
                    job.state = "done";
                } catch (Trm4jException e) {
                    job.error = e.getMessage();
                    job.state = "failed";
                }
            });
        } catch (RejectedExecutionException e) {
            reply.error(503, "busy: adaptation jobs are waiting; try again");
            return;
        }
        long id = jobIds.incrementAndGet();   // a refused job takes none
        jobTable.put(id, job);
        reply.json(202, Map.of("job", id, "poll", "/v1/jobs/" + id));
    }

    private void job(String id, Reply reply) {
        Job j;
        try {
            j = jobTable.get(Long.parseLong(id));
        } catch (NumberFormatException e) {
            j = null;
        }
        if (j == null) reply.error(404, "no job " + id + " (jobs are kept for the last 64)");
        else reply.json(200, j.json(Long.parseLong(id)));
    }
}
