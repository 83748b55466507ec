import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * PUBLISH fan-out benchmark (run by bench/pubsub-fanout): N subscribers on one channel, drained
 * by one NIO selector thread that only counts bytes, while redis-benchmark publishes a 16-byte
 * message from C connections. Reports publishes/s and deliveries/s once every subscriber has
 * received every message (each frame has the same length, so bytes count messages).
 */
public final class PubSubFanout {
    private static final String MESSAGE = "0123456789abcdef";
    private static final byte[] FRAME = ("*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$16\r\n" + MESSAGE + "\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    private static final int CONFIRMATION = "*3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n".length();

    public static void main(String[] args) throws Exception {
        int port = 0, subscribers = 1000, publishes = 20000, clients = 10;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--subscribers" -> subscribers = Integer.parseInt(args[i + 1]);
                case "--publishes" -> publishes = Integer.parseInt(args[i + 1]);
                case "--clients" -> clients = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (port == 0) {
            System.err.println("usage: pubsub-fanout --port P [--subscribers N] [--publishes M] [--clients C]");
            System.exit(2);
        }
        Selector selector = Selector.open();
        List<long[]> counts = new ArrayList<>();
        for (int i = 0; i < subscribers; i++) {
            SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
            ch.write(ByteBuffer.wrap("SUBSCRIBE ch\r\n".getBytes(StandardCharsets.US_ASCII)));
            Socket s = ch.socket();
            InputStream in = s.getInputStream();
            int confirmation = 0;
            int crlfs = 0;
            // the confirmation has six lines; its count (:1 .. :1) has one digit
            while (crlfs < 6) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("subscriber " + i + " closed");
                }
                confirmation++;
                if (b == '\n') {
                    crlfs++;
                }
            }
            if (confirmation != CONFIRMATION) {
                throw new IOException("unexpected confirmation length " + confirmation);
            }
            ch.configureBlocking(false);
            long[] count = new long[1];
            counts.add(count);
            ch.register(selector, SelectionKey.OP_READ, count);
        }
        long expected = (long) FRAME.length * publishes;
        int[] complete = {0};
        int total = subscribers;
        Thread drainer = new Thread(() -> drain(selector, expected, complete, total), "drainer");
        drainer.start();
        long start = System.nanoTime();
        Process bench = new ProcessBuilder("redis-benchmark", "-p", Integer.toString(port), "-c",
                Integer.toString(clients), "-n", Integer.toString(publishes), "-q", "publish", "ch", MESSAGE)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (bench.waitFor() != 0) {
            throw new IOException("redis-benchmark failed");
        }
        drainer.join(300_000);
        double seconds = (System.nanoTime() - start) / 1e9;
        int done;
        synchronized (complete) {
            done = complete[0];
        }
        System.out.printf("subscribers=%d publishes=%d clients=%d%n", subscribers, publishes, clients);
        System.out.printf("all_delivered=%d/%d seconds=%.2f%n", done, subscribers, seconds);
        System.out.printf("publishes_per_sec=%.0f deliveries_per_sec=%.0f%n", publishes / seconds,
                (double) publishes * done / seconds);
        System.exit(done == subscribers ? 0 : 1);
    }

    private static void drain(Selector selector, long expected, int[] complete, int subscribers) {
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        int finished = 0;
        long deadline = System.nanoTime() + 300_000_000_000L;
        try {
            while (finished < subscribers && System.nanoTime() < deadline) {
                if (selector.select(1000) == 0) {
                    continue;
                }
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey key = it.next();
                    it.remove();
                    long[] count = (long[]) key.attachment();
                    buf.clear();
                    int n = ((SocketChannel) key.channel()).read(buf);
                    if (n < 0) {
                        key.cancel();
                        continue;
                    }
                    boolean wasDone = count[0] >= expected;
                    count[0] += n;
                    if (!wasDone && count[0] >= expected) {
                        finished++;
                        synchronized (complete) {
                            complete[0] = finished;
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }
}
