package org.osprey.filter.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;

/**
 * An authoritative-looking DNS server for tests on 127.0.0.1, UDP and TCP on the same random port, built on
 * dnsjava's Message and Record classes. A test adds MX, A and AAAA records; names it never mentioned are NXDOMAIN,
 * known names without the asked type get NODATA, and names can be set to answer SERVFAIL or nothing at all. TXT
 * records serve DNSBL test zones (an A record in 127.0.0.0/8 plus a TXT reason, RFC 5782). A UDP
 * answer larger than the client's EDNS size (512 without EDNS) is truncated, so the client must ask over TCP.
 */
public final class TestDnsServer implements AutoCloseable {
    private static final long TTL = 60;

    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final Map<String, List<Record>> records = new ConcurrentHashMap<>();
    private final Set<String> servfail = ConcurrentHashMap.newKeySet();
    private final Set<String> silent = ConcurrentHashMap.newKeySet();
    private final AtomicInteger udpQueries = new AtomicInteger();
    private final AtomicInteger tcpQueries = new AtomicInteger();
    private volatile boolean closed;

    private TestDnsServer(DatagramSocket udp, ServerSocket tcp) {
        this.udp = udp;
        this.tcp = tcp;
        Thread.ofVirtual().name("test-dns-udp").start(this::serveUdp);
        Thread.ofVirtual().name("test-dns-tcp").start(this::serveTcp);
    }

    public static TestDnsServer start() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        for (int attempt = 0; ; attempt++) {
            DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, 0));
            ServerSocket tcp = new ServerSocket();
            try {
                tcp.bind(new InetSocketAddress(loopback, udp.getLocalPort()));
                return new TestDnsServer(udp, tcp);
            } catch (IOException e) {
                udp.close();
                tcp.close();
                if (attempt == 20) {
                    throw e;
                }
            }
        }
    }

    /** "127.0.0.1:port", the form resolvers in Osprey take for one DNS server. */
    public String address() {
        return "127.0.0.1:" + udp.getLocalPort();
    }

    public TestDnsServer mx(String domain, int preference, String host) {
        return add(new MXRecord(name(domain), DClass.IN, TTL, preference, name(host)));
    }

    /** RFC 7505: a single MX with preference 0 and the root as host. */
    public TestDnsServer nullMx(String domain) {
        return add(new MXRecord(name(domain), DClass.IN, TTL, 0, Name.root));
    }

    public TestDnsServer a(String host, String... addresses) {
        for (String address : addresses) {
            add(new ARecord(name(host), DClass.IN, TTL, InetAddress.ofLiteral(address)));
        }
        return this;
    }

    public TestDnsServer aaaa(String host, String... addresses) {
        for (String address : addresses) {
            add(new AAAARecord(name(host), DClass.IN, TTL, InetAddress.ofLiteral(address)));
        }
        return this;
    }

    /** A TXT record of one string, as DNSBLs give the listing reason. */
    public TestDnsServer txt(String host, String text) {
        return add(new TXTRecord(name(host), DClass.IN, TTL, text));
    }

    /** A TXT record with its own TTL in seconds. */
    public TestDnsServer txt(String host, String text, long ttlSeconds) {
        return add(new TXTRecord(name(host), DClass.IN, ttlSeconds, text));
    }

    /** A TXT record of several strings, as long SPF records are published (RFC 7208 §3.3). */
    public TestDnsServer txtStrings(String host, String... strings) {
        return add(new TXTRecord(name(host), DClass.IN, TTL, List.of(strings)));
    }

    /** A PTR record for an address, under in-addr.arpa or ip6.arpa. */
    public TestDnsServer ptr(String address, String host) {
        return add(new PTRRecord(ReverseMap.fromAddress(InetAddress.ofLiteral(address)), DClass.IN, TTL,
            name(host)));
    }

    /** The name exists but has no records (every query gets NODATA). */
    public TestDnsServer exists(String host) {
        records.computeIfAbsent(key(name(host)), k -> new CopyOnWriteArrayList<>());
        return this;
    }

    public TestDnsServer servfail(String host) {
        servfail.add(key(name(host)));
        return this;
    }

    /** Queries for this name are never answered: the client times out. */
    public TestDnsServer silent(String host) {
        silent.add(key(name(host)));
        return this;
    }

    public int udpQueries() {
        return udpQueries.get();
    }

    public int tcpQueries() {
        return tcpQueries.get();
    }

    private TestDnsServer add(Record record) {
        records.computeIfAbsent(key(record.getName()), k -> new CopyOnWriteArrayList<>()).add(record);
        return this;
    }

    private Message answer(Message query) throws TextParseException {
        Record question = query.getQuestion();
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.AA);
        if (query.getHeader().getFlag(Flags.RD)) {
            response.getHeader().setFlag(Flags.RD);
            response.getHeader().setFlag(Flags.RA);
        }
        response.addRecord(question, Section.QUESTION);
        String key = key(question.getName());
        if (servfail.contains(key)) {
            response.getHeader().setRcode(Rcode.SERVFAIL);
            return response;
        }
        List<Record> known = records.get(key);
        if (known == null) {
            response.getHeader().setRcode(Rcode.NXDOMAIN);
            response.addRecord(soa(), Section.AUTHORITY);
            return response;
        }
        int answers = 0;
        for (Record r : known) {
            if (r.getType() == question.getType()) {
                response.addRecord(r, Section.ANSWER);
                answers++;
            }
        }
        if (answers == 0) {
            response.addRecord(soa(), Section.AUTHORITY); // NODATA, negative-cacheable (RFC 2308)
        }
        return response;
    }

    private static SOARecord soa() throws TextParseException {
        return new SOARecord(Name.fromString("test."), DClass.IN, TTL, Name.fromString("ns.test."),
            Name.fromString("hostmaster.test."), 1, 3600, 600, 86400, TTL);
    }

    private void serveUdp() {
        byte[] buffer = new byte[65535];
        while (!closed) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                udp.receive(packet);
                udpQueries.incrementAndGet();
                Message query = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                if (silent.contains(key(query.getQuestion().getName()))) {
                    continue;
                }
                Message response = answer(query);
                byte[] wire = response.toWire();
                OPTRecord opt = query.getOPT();
                int max = opt == null ? 512 : Math.max(512, opt.getPayloadSize());
                if (wire.length > max) {
                    Message truncated = new Message(query.getHeader().getID());
                    truncated.getHeader().setFlag(Flags.QR);
                    truncated.getHeader().setFlag(Flags.TC);
                    truncated.addRecord(query.getQuestion(), Section.QUESTION);
                    wire = truncated.toWire();
                }
                udp.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void serveTcp() {
        while (!closed) {
            try {
                Socket socket = tcp.accept();
                Thread.ofVirtual().start(() -> serveTcp(socket));
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void serveTcp(Socket socket) {
        try (socket) {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            while (true) {
                byte[] bytes = new byte[in.readUnsignedShort()];
                in.readFully(bytes);
                tcpQueries.incrementAndGet();
                Message query = new Message(bytes);
                if (silent.contains(key(query.getQuestion().getName()))) {
                    continue;
                }
                byte[] wire = answer(query).toWire();
                out.writeShort(wire.length);
                out.write(wire);
                out.flush();
            }
        } catch (IOException e) {
            // the client is done with this connection
        }
    }

    private static Name name(String text) {
        try {
            return Name.fromString(text, Name.root);
        } catch (TextParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String key(Name name) {
        return name.toString(true).toLowerCase(Locale.ROOT);
    }

    @Override
    public void close() throws IOException {
        closed = true;
        udp.close();
        tcp.close();
    }
}
