package org.tfmnist.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.LookupPaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.tfmnist.train.History;

/** Training curves and the confusion-matrix heat map, drawn with JFreeChart (headless). */
public final class Charts {

  private static final Color TRAIN = new Color(0x1F, 0x77, 0xB4);
  private static final Color VALIDATION = new Color(0xFF, 0x7F, 0x0E);

  private Charts() {}

  /**
   * The Keras beginner's tutorial's plots: loss and accuracy per epoch, training and validation,
   * side by side.
   */
  public static BufferedImage history(String title, History h, int width, int height) {
    JFreeChart loss = curves(title + ": loss", "loss", h, true);
    JFreeChart acc = curves(title + ": accuracy", "accuracy", h, false);
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      loss.draw(g, new java.awt.Rectangle(0, 0, width / 2, height));
      acc.draw(g, new java.awt.Rectangle(width / 2, 0, width - width / 2, height));
    } finally {
      g.dispose();
    }
    return img;
  }

  private static JFreeChart curves(String title, String what, History h, boolean loss) {
    XYSeries train = new XYSeries("training " + what);
    XYSeries val = new XYSeries("validation " + what);
    for (History.Epoch e : h.epochs()) {
      train.add(e.epoch(), loss ? e.loss() : e.accuracy());
      val.add(e.epoch(), loss ? e.valLoss() : e.valAccuracy());
    }
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(train);
    data.addSeries(val);
    NumberAxis x = new NumberAxis("epoch");
    x.setTickUnit(new NumberTickUnit(Math.max(1, Math.ceil(h.epochs().size() / 12.0))));
    NumberAxis y = new NumberAxis(what);
    y.setAutoRangeIncludesZero(false);
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
    r.setSeriesPaint(0, TRAIN);
    r.setSeriesPaint(1, VALIDATION);
    r.setSeriesStroke(0, new BasicStroke(2f));
    r.setSeriesStroke(1, new BasicStroke(2f));
    XYPlot plot = new XYPlot(data, x, y, r);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(0xDD, 0xDD, 0xDD));
    plot.setRangeGridlinePaint(new Color(0xDD, 0xDD, 0xDD));
    JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 16), plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    return chart;
  }

  /** The confusion matrix as a heat map with the count in every cell (rows: true digit). */
  public static BufferedImage confusion(String title, int[][] m, int size) {
    int max = 1;
    for (int[] row : m) {
      for (int v : row) {
        max = Math.max(max, v);
      }
    }
    double[] xs = new double[100];
    double[] ys = new double[100];
    double[] zs = new double[100];
    for (int t = 0; t < 10; t++) {
      for (int p = 0; p < 10; p++) {
        int k = t * 10 + p;
        xs[k] = p;
        ys[k] = t;
        zs[k] = m[t][p];
      }
    }
    DefaultXYZDataset data = new DefaultXYZDataset();
    data.addSeries("confusion", new double[][] {xs, ys, zs});
    NumberAxis x = new NumberAxis("predicted digit");
    NumberAxis y = new NumberAxis("true digit");
    for (NumberAxis a : List.of(x, y)) {
      a.setRange(-0.5, 9.5);
      a.setTickUnit(new NumberTickUnit(1));
      a.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
    }
    y.setInverted(true);
    // white for 0, then light to dark blue on a square-root scale (the diagonal dwarfs the rest)
    LookupPaintScale scale = new LookupPaintScale(0, max + 1, Color.WHITE);
    for (int i = 0; i <= 100; i++) {
      double v = max * (i / 100.0) * (i / 100.0);
      float f = (float) Math.sqrt(v / max);
      scale.add(i == 0 ? 0.5 : v, new Color(1 - 0.85f * f, 1 - 0.6f * f, 1 - 0.25f * f));
    }
    XYBlockRenderer r = new XYBlockRenderer();
    r.setPaintScale(scale);
    XYPlot plot = new XYPlot(data, x, y, r);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinesVisible(false);
    plot.setRangeGridlinesVisible(false);
    for (int t = 0; t < 10; t++) {
      for (int p = 0; p < 10; p++) {
        if (m[t][p] == 0) {
          continue;
        }
        XYTextAnnotation a = new XYTextAnnotation(Integer.toString(m[t][p]), p, t);
        a.setFont(new Font(Font.SANS_SERIF, t == p ? Font.BOLD : Font.PLAIN, 13));
        a.setPaint(Math.sqrt((double) m[t][p] / max) > 0.6 ? Color.WHITE : Color.BLACK);
        plot.addAnnotation(a);
      }
    }
    JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 16), plot, false);
    NumberAxis legendAxis = new NumberAxis("count");
    legendAxis.setRange(0, max);
    PaintScaleLegend legend = new PaintScaleLegend(scale, legendAxis);
    legend.setPosition(RectangleEdge.RIGHT);
    legend.setMargin(20, 10, 20, 10);
    chart.addSubtitle(legend);
    chart.setBackgroundPaint(Color.WHITE);
    return chart.createBufferedImage(size + 120, size);
  }
}
