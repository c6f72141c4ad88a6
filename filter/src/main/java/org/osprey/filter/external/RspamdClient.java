package org.osprey.filter.external;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.osprey.filter.InboundChecks.MessageAccess;

/**
 * A client for rspamd's HTTP protocol: the message is POSTed to {@code <url>/checkv2} (streamed, chunked) with the
 * SMTP facts in rspamd's request headers — {@code IP}, {@code Hostname} (the client's verified reverse-DNS name,
 * left out when it has none: rspamd then scores RDNS_NONE and HFILTER_HOSTNAME_UNKNOWN), {@code Helo},
 * {@code From} (the envelope sender; left out for the null sender), {@code Rcpt} (one per recipient), {@code User}
 * (the authenticated user, if any) and {@code MTA-Name} (our host name, for rspamd's Authentication-Results) — and
 * rspamd answers with JSON: {@code score}, {@code required_score}, {@code action} and {@code symbols}.
 *
 * <p>Connecting is bounded by the connect timeout, the whole exchange by the overall timeout; the reply is read up to
 * {@value #MAX_REPLY} bytes. An HTTP error status, a refused connection, a timeout or a reply that is not rspamd's
 * JSON becomes a {@link ScannerException}. One instance is safe to share between threads.
 */
public final class RspamdClient {
    static final int MAX_REPLY = 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Header values go on one request line: printable ASCII and no CR/LF, else the header is left out. */
    private static final Pattern SAFE_VALUE = Pattern.compile("[\\x20-\\x7e]{1,998}");

    /** The SMTP facts rspamd is told with the message. */
    public record Envelope(InetAddress client, Optional<String> clientName, Optional<String> helo, String sender,
                           List<String> recipients, Optional<String> user, String mtaName) {
        public Envelope {
            recipients = List.copyOf(recipients);
        }
    }

    private final String url;
    private final URI endpoint;
    private final Duration timeout;
    private final HttpClient http;

    /**
     * @param url rspamd's normal worker, {@code http://127.0.0.1:11333} (a path before {@code /checkv2} is kept)
     * @throws IllegalArgumentException when the URL is not an http(s) URL with a host, or a timeout is not positive
     */
    public RspamdClient(String url, Duration connectTimeout, Duration timeout) {
        this.url = Objects.requireNonNull(url, "url");
        this.endpoint = endpoint(url);
        if (!connectTimeout.isPositive() || !timeout.isPositive()) {
            throw new IllegalArgumentException("rspamd timeouts must be positive");
        }
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public String url() {
        return url;
    }

    static URI endpoint(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("\"" + url + "\" is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("\"" + url + "\" is not an http:// or https:// URL");
        }
        if (uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null
                || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("\"" + url + "\" needs a host and no user, query or fragment");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return URI.create(scheme + "://" + uri.getRawAuthority() + path + "/checkv2");
    }

    /** Has rspamd check one message; {@code message} is opened once and streamed. */
    public RspamdReport check(MessageAccess message, Envelope envelope) throws ScannerException {
        var request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("IP", envelope.client().getHostAddress())
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> {
                    try {
                        return message.open();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }));
        envelope.clientName().filter(this::safe).ifPresent(name -> request.header("Hostname", name));
        envelope.helo().filter(this::safe).ifPresent(helo -> request.header("Helo", helo));
        if (!envelope.sender().isEmpty() && safe(envelope.sender())) {
            request.header("From", envelope.sender());
        }
        envelope.recipients().stream().filter(this::safe).forEach(rcpt -> request.header("Rcpt", rcpt));
        envelope.user().filter(this::safe).ifPresent(user -> request.header("User", user));
        if (safe(envelope.mtaName())) {
            request.header("MTA-Name", envelope.mtaName());
        }

        var pending = http.sendAsync(request.build(), info -> new LimitedBody(MAX_REPLY));
        HttpResponse<byte[]> response;
        try {
            response = pending.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw failure("no reply within " + ScannerException.seconds(timeout));
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw failure("interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw failure(switch (cause) {
                case HttpConnectTimeoutException t -> "connect timed out";
                case HttpTimeoutException t -> "no reply within " + ScannerException.seconds(timeout);
                case ConnectException c -> "cannot connect: " + describe(c);
                case UncheckedIOException u -> "cannot read the message: " + describe(u.getCause());
                default -> "connection lost: " + describe(cause);
            });
        }
        return parseReply(response.statusCode(), response.body());
    }

    RspamdReport parseReply(int status, byte[] body) throws ScannerException {
        JsonNode reply;
        try {
            reply = JSON.readTree(body);
        } catch (IOException e) {
            reply = null;
        }
        if (status != 200) {
            String error = reply != null && reply.path("error").isTextual() ? reply.path("error").asText()
                    : new String(body, 0, Math.min(body.length, 160), java.nio.charset.StandardCharsets.ISO_8859_1);
            throw failure("answered HTTP " + status + ": " + ScannerException.printable(error, 160));
        }
        if (reply == null || !reply.isObject()) {
            throw failure("reply is not JSON: "
                    + ScannerException.printable(new String(body, 0, Math.min(body.length, 80),
                            java.nio.charset.StandardCharsets.ISO_8859_1), 80));
        }
        JsonNode score = reply.path("score");
        JsonNode required = reply.path("required_score");
        JsonNode action = reply.path("action");
        if (!score.isNumber() || !Double.isFinite(score.asDouble()) || !action.isTextual()) {
            throw failure("reply without a score and an action");
        }
        Map<String, Double> symbols = new HashMap<>();
        reply.path("symbols").properties().forEach(symbol -> symbols.put(
                ScannerException.printable(symbol.getKey(), 80), symbol.getValue().path("score").asDouble(0)));
        return new RspamdReport(score.asDouble(), required.isNumber() ? required.asDouble() : Double.NaN,
                ScannerException.printable(action.asText(), 40), symbols);
    }

    private boolean safe(String value) {
        return SAFE_VALUE.matcher(value).matches();
    }

    private ScannerException failure(String reason) {
        return new ScannerException("rspamd at " + url + ": " + reason);
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName()
                : ScannerException.printable(message, 160);
    }

    /** Collects the reply body, but gives up (and closes the connection) past {@code max} bytes. */
    private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final int max;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        LimitedBody(int max) {
            this.max = max;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer item : items) {
                if (body.size() + item.remaining() > max) {
                    subscription.cancel();
                    result.completeExceptionally(new IOException("reply longer than " + max + " bytes"));
                    return;
                }
                byte[] bytes = new byte[item.remaining()];
                item.get(bytes);
                body.writeBytes(bytes);
            }
        }

        @Override
        public void onError(Throwable error) {
            result.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            result.complete(body.toByteArray());
        }
    }
}
