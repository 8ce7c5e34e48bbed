package org.tfmnist.viz;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.tfmnist.data.LabeledImages;
import org.tfmnist.runtime.ServingModel;

/** The tutorials' pictures: which digits go in a grid, and how each is titled. */
public final class Pictures {

  private Pictures() {}

  /** A drawn grid and the data-set indices of its digits, in order. */
  public record Grid(BufferedImage image, List<DigitGrid.Cell> cells, int[] indices) {}

  /**
   * Seeds 001/004: digits titled with their labels ("Label: 5"); the first {@code count} from
   * {@code start}, or a random choice when {@code random} is set.
   */
  public static Grid samples(
      String heading, LabeledImages data, int count, int start, Random random) {
    int[] idx = pick(data.count(), count, start, random);
    List<DigitGrid.Cell> cells = new ArrayList<>();
    for (int i : idx) {
      cells.add(
          new DigitGrid.Cell(data.imageAsFloats(i), List.of("Label: " + data.label(i)), false));
    }
    return new Grid(DigitGrid.draw(heading, cells, 0), cells, idx);
  }

  /** Which predictions a grid shows. */
  public enum Which {
    ALL,
    RIGHT,
    WRONG
  }

  /**
   * The Keras CNN tutorial's batchDraw: digits titled "actual:X" / "predict:Y", red where the model
   * is wrong; {@code probabilities} are the model's for every image of {@code data}.
   */
  public static Grid predictions(
      String heading,
      LabeledImages data,
      float[][] probabilities,
      Which which,
      int count,
      Random random) {
    List<Integer> pool = new ArrayList<>();
    for (int i = 0; i < data.count(); i++) {
      boolean right = ServingModel.argmax(probabilities[i]) == data.label(i);
      if (which == Which.ALL || (which == Which.RIGHT) == right) {
        pool.add(i);
      }
    }
    int[] chosen = pick(pool.size(), count, 0, random);
    int[] idx = new int[chosen.length];
    List<DigitGrid.Cell> cells = new ArrayList<>();
    for (int k = 0; k < chosen.length; k++) {
      int i = pool.get(chosen[k]);
      idx[k] = i;
      int predicted = ServingModel.argmax(probabilities[i]);
      cells.add(
          new DigitGrid.Cell(
              data.imageAsFloats(i),
              List.of("actual:" + data.label(i), "predict:" + predicted),
              predicted != data.label(i)));
    }
    return new Grid(DigitGrid.draw(heading, cells, 0), cells, idx);
  }

  /** {@code count} indices of {@code n}: from {@code start} in order, or random distinct ones. */
  static int[] pick(int n, int count, int start, Random random) {
    int k = Math.max(0, Math.min(count, n - (random == null ? start : 0)));
    int[] out = new int[k];
    if (random == null) {
      for (int i = 0; i < k; i++) {
        out[i] = start + i;
      }
      return out;
    }
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    for (int i = 0; i < k; i++) {
      int j = i + random.nextInt(n - i);
      int t = all[i];
      all[i] = all[j];
      all[j] = t;
      out[i] = all[i];
    }
    return out;
  }
}
