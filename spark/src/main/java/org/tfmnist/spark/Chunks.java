package org.tfmnist.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;
import org.apache.spark.sql.Row;

/**
 * A partition's rows turned into output rows a chunk at a time: a chunk is one batch for the model,
 * and a partition of many inputs holds one chunk's pixels at most, not the whole partition's.
 */
final class Chunks {

  private Chunks() {}

  static <T> Iterator<Row> map(Iterator<T> in, int size, Function<List<T>, List<Row>> chunk) {
    return new Iterator<>() {
      private Iterator<Row> out = List.<Row>of().iterator();

      @Override
      public boolean hasNext() {
        while (!out.hasNext() && in.hasNext()) {
          List<T> items = new ArrayList<>(size);
          while (in.hasNext() && items.size() < size) {
            items.add(in.next());
          }
          out = chunk.apply(items).iterator();
        }
        return out.hasNext();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return out.next();
      }
    };
  }
}
