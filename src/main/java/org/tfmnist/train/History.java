package org.tfmnist.train;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tfmnist.data.JsonFile;

/**
 * Per-epoch training history, as Keras' {@code History.history}: loss, accuracy, val_loss,
 * val_accuracy (and seconds per epoch). Written as CSV (Keras' CSVLogger columns) and as JSON (a
 * dict of lists, what {@code history.history} holds in Python) for plots.
 */
public final class History {

  /** One epoch's figures; epoch counts from 1. */
  public record Epoch(
      int epoch,
      double loss,
      double accuracy,
      double valLoss,
      double valAccuracy,
      double seconds) {}

  private final List<Epoch> epochs = new ArrayList<>();

  /** Appends an epoch's figures (what {@link Model#fit} does as each epoch ends). */
  public void add(Epoch e) {
    epochs.add(e);
  }

  /** Every epoch so far, oldest first (a read-only view). */
  public List<Epoch> epochs() {
    return Collections.unmodifiableList(epochs);
  }

  /** Whether no epoch has ended yet. */
  public boolean isEmpty() {
    return epochs.isEmpty();
  }

  /** The latest epoch; fails when there is none. */
  public Epoch last() {
    return epochs.get(epochs.size() - 1);
  }

  /** The epoch with the best validation accuracy. */
  public Epoch best() {
    return epochs.stream()
        .max((a, b) -> Double.compare(a.valAccuracy(), b.valAccuracy()))
        .orElseThrow();
  }

  /** The history as CSV: a header, then a row per epoch (epoch counting from 1). */
  public String toCsv() {
    StringBuilder sb = new StringBuilder("epoch,accuracy,loss,val_accuracy,val_loss,seconds\n");
    for (Epoch e : epochs) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%d,%.6f,%.6f,%.6f,%.6f,%.3f%n",
              e.epoch(),
              e.accuracy(),
              e.loss(),
              e.valAccuracy(),
              e.valLoss(),
              e.seconds()));
    }
    return sb.toString();
  }

  /** The history as Python's {@code history.history}: each figure's list, one value per epoch. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("epoch", epochs.stream().map(Epoch::epoch).toList());
    m.put("loss", epochs.stream().map(Epoch::loss).toList());
    m.put("accuracy", epochs.stream().map(Epoch::accuracy).toList());
    m.put("val_loss", epochs.stream().map(Epoch::valLoss).toList());
    m.put("val_accuracy", epochs.stream().map(Epoch::valAccuracy).toList());
    m.put("seconds", epochs.stream().map(Epoch::seconds).toList());
    return m;
  }

  /** {@link #toMap()} as pretty-printed JSON. */
  public String toJson() {
    try {
      return JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT).asString(toMap()) + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The history files an export carries in assets.extra/: history.csv and history.json. */
  public Map<String, String> files() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("history.csv", toCsv());
    m.put("history.json", toJson());
    return m;
  }

  /** Reads what {@link #toJson()} wrote. */
  public static History fromJson(String json) {
    try {
      return fromMap(JSON.std.mapFrom(json));
    } catch (IOException e) {
      throw new IllegalArgumentException("not " + WHAT + ": " + JsonFile.reason(e), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not " + WHAT + " (no " + e.getMessage() + ")", e);
    }
  }

  /** Reads a history.json; anything wrong with it is one line naming the file. */
  public static History read(Path file) {
    try {
      return fromMap(JsonFile.read(file, WHAT));
    } catch (IllegalArgumentException e) {
      throw JsonFile.lacks(file, WHAT, e.getMessage());
    }
  }

  private static final String WHAT = "a tf-mnist history";

  /** The lists {@link #toMap()} makes; an IllegalArgumentException names what is missing. */
  static History fromMap(Map<String, Object> m) {
    History h = new History();
    if (m == null || !(m.get("epoch") instanceof List<?> ep)) {
      throw new IllegalArgumentException("\"epoch\" list");
    }
    for (int i = 0; i < ep.size(); i++) {
      if (!(ep.get(i) instanceof Number epoch)) {
        throw new IllegalArgumentException("number at \"epoch\"[" + i + "]");
      }
      h.add(
          new Epoch(
              epoch.intValue(),
              num(m, "loss", i),
              num(m, "accuracy", i),
              num(m, "val_loss", i),
              num(m, "val_accuracy", i),
              num(m, "seconds", i)));
    }
    return h;
  }

  private static double num(Map<String, Object> m, String key, int i) {
    if (m.get(key) instanceof List<?> l && i < l.size() && l.get(i) instanceof Number n) {
      return n.doubleValue();
    }
    throw new IllegalArgumentException("number at \"" + key + "\"[" + i + "]");
  }
}
