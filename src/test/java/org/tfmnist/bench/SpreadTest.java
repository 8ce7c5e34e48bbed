package org.tfmnist.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Medians and quartiles as NumPy's default (linear) computes them, the input left unsorted. */
@Timeout(10)
class SpreadTest {

  @Test
  void oddCountHasTheMiddleValueAndInterpolatedQuartiles() {
    List<Double> v = new ArrayList<>(List.of(5.0, 1.0, 4.0, 2.0, 3.0));
    Spread s = Spread.of(v);
    assertEquals(new Spread(5, 1.0, 2.0, 3.0, 4.0, 5.0), s);
    assertEquals(List.of(5.0, 1.0, 4.0, 2.0, 3.0), v); // not sorted in place
  }

  @Test
  void evenCountAveragesTheMiddleTwo() {
    // numpy.percentile([10, 20, 30, 40], [25, 50, 75]) = 17.5, 25, 32.5
    Spread s = Spread.of(List.of(40.0, 10.0, 30.0, 20.0));
    assertEquals(17.5, s.q1(), 1e-12);
    assertEquals(25.0, s.median(), 1e-12);
    assertEquals(32.5, s.q3(), 1e-12);
    assertEquals(10.0, s.min());
    assertEquals(40.0, s.max());
  }

  @Test
  void oneValueIsItsOwnSpreadAndNoneIsAnError() {
    assertEquals(new Spread(1, 7.0, 7.0, 7.0, 7.0, 7.0), Spread.of(List.of(7.0)));
    assertThrows(IllegalArgumentException.class, () -> Spread.of(List.of()));
  }
}
