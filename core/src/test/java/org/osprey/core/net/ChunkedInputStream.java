package org.osprey.core.net;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Delivers fixed bytes the way TCP may: never more per read() than up to the next cut. Lets a parser test run with
 * its input split at every byte boundary, since a socket promises nothing about where reads end.
 */
final class ChunkedInputStream extends InputStream {
    private final byte[] data;
    private final int[] cuts;
    private final String description;
    private int position;
    private int nextCut;

    private ChunkedInputStream(byte[] data, int[] cuts, String description) {
        this.data = data;
        this.cuts = cuts;
        this.description = description;
    }

    /** Every way of delivering the bytes worth trying: at once, at most n bytes per read, and cut in two anywhere. */
    static List<ChunkedInputStream> everyDelivery(byte[] data) {
        List<ChunkedInputStream> deliveries = new ArrayList<>();
        deliveries.add(new ChunkedInputStream(data, new int[0], "all at once"));
        for (int n = 1; n < data.length; n++) {
            deliveries.add(atMost(data, n));
        }
        for (int cut = 1; cut < data.length; cut++) {
            deliveries.add(new ChunkedInputStream(data, new int[] {cut}, "cut at " + cut));
        }
        return deliveries;
    }

    /** Delivers at most n bytes per read(). */
    static ChunkedInputStream atMost(byte[] data, int n) {
        int[] cuts = new int[Math.max(0, (data.length - 1) / n)];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = (i + 1) * n;
        }
        return new ChunkedInputStream(data, cuts, "at most " + n + " bytes per read");
    }

    /** Delivers the bytes with reads ending exactly at these offsets (ascending). */
    static ChunkedInputStream cutAt(byte[] data, int... cuts) {
        return new ChunkedInputStream(data, cuts.clone(), "cut at " + Arrays.toString(cuts));
    }

    @Override
    public int read() {
        if (position == data.length) {
            return -1;
        }
        skipPassedCuts();
        return data[position++] & 0xff;
    }

    @Override
    public int read(byte[] target, int offset, int length) {
        if (length == 0) {
            return 0;
        }
        if (position == data.length) {
            return -1;
        }
        skipPassedCuts();
        int end = nextCut < cuts.length ? cuts[nextCut] : data.length;
        int n = Math.min(length, end - position);
        System.arraycopy(data, position, target, offset, n);
        position += n;
        return n;
    }

    private void skipPassedCuts() {
        while (nextCut < cuts.length && cuts[nextCut] <= position) {
            nextCut++;
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
