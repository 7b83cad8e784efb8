// The panel's forgiving search: folding, the scores and the order of the results.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fold, inOrder, closeness, placeFields, scoreFields, rank } from "../../geo/static/src/atlas/search.js";

const park = placeFields({
  name: "长春动植物公园", aliases: "动植物园", nameEn: "Changchun Zoo and Botanical Garden", id: "changchun-zoo",
  address: "南关区 人民大街 2888 号", label: "公园 Park", glossed: "Park", pinyin: "changchundongzhiwugongyuan|dongzhiwuyuan"
});
const mall = placeFields({ name: "万象城", nameEn: "MixC", id: "mixc", label: "商业 Commerce", pinyin: "wanxiangcheng" });

test("fold drops tone marks, case and spaces", () => {
  assert.equal(fold("Wàn Xiàng Chéng"), "wanxiangcheng");
  assert.equal(fold("  MixC  Mall "), "mixcmall");
  assert.equal(fold(null), "");
  assert.equal(fold("长春 南关"), "长春南关");
});

test("inOrder and closeness", () => {
  assert.ok(inOrder("动物园", "长春动植物公园"));
  assert.ok(!inOrder("物动", "长春动植物公园"));
  assert.equal(closeness("万像城", "长春万象城"), 1);
  assert.equal(closeness("万象城", "长春万象城"), 0);
  assert.equal(closeness("abc", "xyz"), 3);
});

test("placeFields folds names, splits pinyin readings and keeps the other fields apart", () => {
  assert.deepEqual(park.pinyin, ["changchundongzhiwugongyuan", "dongzhiwuyuan"]);
  assert.ok(park.names.includes("changchunzooandbotanicalgarden"));
  assert.ok(park.others.includes("changchun-zoo"));
  assert.deepEqual(placeFields({}), { names: [], others: [], pinyin: [] });
});

test("names score above pinyin, pinyin above other fields, near misses lowest", () => {
  assert.equal(scoreFields(fold("长春动植物公园"), park), 100);  // the whole name
  assert.equal(scoreFields(fold("长春"), park), 90);             // its start
  assert.equal(scoreFields(fold("植物"), park), 80);             // inside it
  assert.equal(scoreFields(fold("动物园"), park), 60);           // its characters in order
  assert.equal(scoreFields("wanxiangcheng", mall), 85);         // a pinyin reading, whole
  assert.equal(scoreFields("xiang", mall), 70);                 // inside a reading
  assert.equal(scoreFields(fold("人民大街"), park), 65);         // the address
  assert.equal(scoreFields("mixc", mall), 100);                 // the English name is a name
  assert.equal(scoreFields(fold("万像城"), mall), 40);           // one wrong character
  assert.equal(scoreFields("wanxiangchen", mall), 70);          // a typing break is still inside the reading
  assert.equal(scoreFields("wanxangcheng", mall), 55);          // a long query's letters in order in a reading
  assert.equal(scoreFields("wanxiengcheng", mall), 40);         // one letter wrong, and not in order
  assert.equal(scoreFields(fold("医院"), park), 0);              // no match
});

test("rank orders by score, then shorter name, then data order, and keeps the best few", () => {
  assert.deepEqual(rank([[80, 5, 0], [100, 9, 1], [80, 3, 2], [80, 3, 3]], 10), [1, 2, 3, 0]);
  assert.deepEqual(rank([[50, 1, 0], [60, 1, 1], [70, 1, 2]], 2), [2, 1]);
  assert.deepEqual(rank([], 5), []);
});
