package io.intentstream.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The shop's catalog as the model was trained on it ({@code catalog.json} from model-export):
 * categories with search terms, items with category, price and popularity. The simulator draws
 * from it so that the model sees item and category ids it knows.
 */
public final class Catalog {
    /** Where the packaged model's catalog lives on the classpath. */
    public static final String RESOURCE = "model/catalog.json";

    public record Item(String id, String category, BigDecimal price, double popularity) {}

    public record Category(String id, List<String> terms, List<Item> items, double[] cumulativePopularity) {
        /** An item of this category drawn by popularity (Zipf-like in the exported catalog). */
        public Item draw(Random random) {
            return items.get(drawIndex(cumulativePopularity, random));
        }
    }

    private final List<Category> categories;
    private final double[] categoryWeights;

    private Catalog(List<Category> categories) {
        if (categories.isEmpty()) {
            throw new IllegalArgumentException("catalog has no category with items");
        }
        this.categories = List.copyOf(categories);
        double[] cumulative = new double[categories.size()];
        double sum = 0;
        for (int i = 0; i < categories.size(); i++) {
            Category c = categories.get(i);
            sum += c.cumulativePopularity()[c.cumulativePopularity().length - 1];
            cumulative[i] = sum;
        }
        this.categoryWeights = cumulative;
    }

    public List<Category> categories() {
        return categories;
    }

    public int itemCount() {
        return categories.stream().mapToInt(c -> c.items().size()).sum();
    }

    /** A category drawn by the total popularity of its items. */
    public Category drawCategory(Random random) {
        return categories.get(drawIndex(categoryWeights, random));
    }

    public static Catalog load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read catalog " + file, e);
        }
    }

    /** The catalog packaged with the model, or a synthetic one when the jar carries none. */
    public static Catalog packagedOrSynthetic() {
        try (InputStream in = Catalog.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in != null) {
                return parse(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read packaged catalog", e);
        }
        return synthetic(new Random(7), 12, 400);
    }

    static Catalog parse(InputStream in) throws IOException {
        JsonNode root = new ObjectMapper().readTree(in);
        Map<String, List<String>> terms = new LinkedHashMap<>();
        for (JsonNode c : root.path("categories")) {
            List<String> t = new ArrayList<>();
            c.path("terms").forEach(term -> t.add(term.asText()));
            terms.put(c.path("id").asText(), t);
        }
        Map<String, List<Item>> items = new LinkedHashMap<>();
        for (JsonNode i : root.path("items")) {
            String category = i.path("category").asText();
            items.computeIfAbsent(category, k -> new ArrayList<>()).add(new Item(
                    i.path("id").asText(), category, new BigDecimal(i.path("price").asText("0")),
                    Math.max(1e-12, i.path("popularity").asDouble(1e-6))));
        }
        List<Category> categories = new ArrayList<>();
        items.forEach((id, list) -> categories.add(category(id, terms.getOrDefault(id, List.of(id)), list)));
        return new Catalog(categories);
    }

    /** A Zipf-popular catalog for when no model catalog is packaged (e.g. a build without artifacts). */
    static Catalog synthetic(Random random, int categoryCount, int itemsPerCategory) {
        String[][] words = {{"shoes", "sneakers"}, {"laptop", "notebook"}, {"phone", "smartphone"},
                {"coffee", "espresso"}, {"jacket", "coat"}, {"headphones", "earbuds"}, {"watch", "smartwatch"},
                {"tent", "camping"}, {"lamp", "lighting"}, {"toy", "lego"}, {"book", "novel"}, {"bag", "backpack"}};
        List<Category> categories = new ArrayList<>();
        int rank = 1;
        for (int c = 0; c < categoryCount; c++) {
            String id = String.format("cat-%02d", c + 1);
            List<Item> list = new ArrayList<>();
            for (int i = 0; i < itemsPerCategory; i++, rank++) {
                BigDecimal price = BigDecimal.valueOf(5 + random.nextInt(20000) / 100.0).setScale(2, java.math.RoundingMode.HALF_UP);
                list.add(new Item(String.format("sku-%05d", rank), id, price, 1.0 / Math.pow(rank, 1.05)));
            }
            categories.add(category(id, List.of(words[c % words.length]), list));
        }
        return new Catalog(categories);
    }

    private static Category category(String id, List<String> terms, List<Item> items) {
        double[] cumulative = new double[items.size()];
        double sum = 0;
        for (int i = 0; i < items.size(); i++) {
            sum += items.get(i).popularity();
            cumulative[i] = sum;
        }
        return new Category(id, List.copyOf(terms), List.copyOf(items), cumulative);
    }

    static int drawIndex(double[] cumulative, Random random) {
        double x = random.nextDouble() * cumulative[cumulative.length - 1];
        int i = java.util.Arrays.binarySearch(cumulative, x);
        int index = i >= 0 ? i : -i - 1;
        return Math.min(index, cumulative.length - 1);
    }
}
