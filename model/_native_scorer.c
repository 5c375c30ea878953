/* The arithmetic of model.scorer's chunk path in C: from each text's word ids to its class
 * scores before the intercept, in the order and float types of scikit-learn's and SciPy's C
 * loops (see model/native_scorer.py for what it replaces and model/scorer.py for the Python).
 *
 * Built with -ffp-contract=off: a fused multiply-add rounds once where the C loops it copies
 * round twice. Every float operation here is a float (IEEE single) operation, as in SciPy's
 * float32 csr_matvecs; the l2 norm sums float squares in double, as scikit-learn's
 * _inplace_csr_row_normalize_l2 does.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int compare_ints(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* The column of `key` in the sorted `keys`, or -1. */
static int32_t find(const int64_t *keys, const int32_t *columns, Py_ssize_t n, int64_t key)
{
    Py_ssize_t low = 0, high = n;
    while (low < high) {
        Py_ssize_t middle = low + (high - low) / 2;
        if (keys[middle] < key)
            low = middle + 1;
        else
            high = middle;
    }
    return (low < n && keys[low] == key) ? columns[low] : -1;
}

typedef struct {
    const int64_t *keys;
    const int32_t *columns;
    Py_ssize_t size;
} NgramTable;

/* scores(packed, lengths, cues, tables, base, low, tf, idf, l2, coef_t, classes, word_width)
 *
 * packed: int32 pairs (word id, unigram column or -1) of every text, one after the other;
 * lengths: int32 pairs per text; cues: float32, `cue_width` per text (0: no entry), columns
 * word_width + i; tables: for n = 2.. the n-grams' sorted int64 keys and their int32 columns;
 * tf: float32 tf weight of each count below its length; idf, coef_t: float32.
 * Returns float32 scores (texts x classes), or None when a count is beyond the tf table.
 */
static PyObject *scores(PyObject *self, PyObject *args)
{
    Py_buffer packed, lengths, cues, tf, idf, coef;
    PyObject *tables;
    long long base;
    int low, l2, classes, cue_width;
    Py_ssize_t word_width;
    if (!PyArg_ParseTuple(args, "y*y*y*iO!Liy*y*py*in", &packed, &lengths, &cues, &cue_width, &PyTuple_Type,
                          &tables, &base, &low, &tf, &idf, &l2, &coef, &classes, &word_width))
        return NULL;

    PyObject *result = NULL;
    int32_t *found = NULL;
    float *values = NULL;
    int32_t *counts = NULL;
    Py_ssize_t texts = lengths.len / (Py_ssize_t)sizeof(int32_t);
    const int32_t *pairs = (const int32_t *)packed.buf;
    const int32_t *length = (const int32_t *)lengths.buf;
    const float *cue = (const float *)cues.buf;
    const float *tf_weight = (const float *)tf.buf;
    Py_ssize_t tf_size = tf.len / (Py_ssize_t)sizeof(float);
    const float *idf_weight = (const float *)idf.buf;
    const float *coef_t = (const float *)coef.buf;
    Py_ssize_t orders = PyTuple_GET_SIZE(tables);  /* n-gram orders above 1 */
    NgramTable table[8];
    Py_buffer table_views[16];
    int views = 0;

    if (orders > 8 || classes < 1 || classes > 16 || cues.len != texts * cue_width * (Py_ssize_t)sizeof(float)) {
        PyErr_SetString(PyExc_ValueError, "inconsistent arguments");
        goto done;
    }
    for (Py_ssize_t n = 0; n < orders; n++) {
        PyObject *pair = PyTuple_GET_ITEM(tables, n);
        if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2) {
            PyErr_SetString(PyExc_ValueError, "an n-gram table is a (keys, columns) pair");
            goto done;
        }
        if (PyObject_GetBuffer(PyTuple_GET_ITEM(pair, 0), &table_views[views], PyBUF_SIMPLE) < 0)
            goto done;
        views++;
        if (PyObject_GetBuffer(PyTuple_GET_ITEM(pair, 1), &table_views[views], PyBUF_SIMPLE) < 0)
            goto done;
        views++;
        table[n].keys = (const int64_t *)table_views[views - 2].buf;
        table[n].columns = (const int32_t *)table_views[views - 1].buf;
        table[n].size = table_views[views - 2].len / (Py_ssize_t)sizeof(int64_t);
    }

    Py_ssize_t longest = 0, total = 0;
    for (Py_ssize_t t = 0; t < texts; t++) {
        if (length[t] > longest)
            longest = length[t];
        total += length[t];
    }
    if (total * 2 * (Py_ssize_t)sizeof(int32_t) != packed.len) {
        PyErr_SetString(PyExc_ValueError, "packed ids and lengths disagree");
        goto done;
    }
    Py_ssize_t room = longest * (orders + 1) + 1;
    found = PyMem_Malloc(room * sizeof(int32_t));
    counts = PyMem_Malloc(room * sizeof(int32_t));
    values = PyMem_Malloc(room * sizeof(float));
    result = PyBytes_FromStringAndSize(NULL, texts * classes * (Py_ssize_t)sizeof(float));
    if (found == NULL || counts == NULL || values == NULL || result == NULL) {
        Py_CLEAR(result);
        PyErr_NoMemory();
        goto done;
    }
    float *out = (float *)PyBytes_AS_STRING(result);

    const int32_t *text_pairs = pairs;
    for (Py_ssize_t t = 0; t < texts; t++) {
        Py_ssize_t tokens = length[t], entries = 0;
        /* CountVectorizer's n-grams: unigrams (their columns come cached), then each order. */
        if (low <= 1)
            for (Py_ssize_t i = 0; i < tokens; i++)
                if (text_pairs[2 * i + 1] >= 0)
                    found[entries++] = text_pairs[2 * i + 1];
        for (Py_ssize_t n = 0; n < orders; n++) {
            Py_ssize_t size = n + 2;
            if (size < low)
                continue;
            for (Py_ssize_t i = 0; i + size <= tokens; i++) {
                int64_t key = 0;
                for (Py_ssize_t j = 0; j < size; j++)
                    key = key * base + text_pairs[2 * (i + j)];
                int32_t column = find(table[n].keys, table[n].columns, table[n].size, key);
                if (column >= 0)
                    found[entries++] = column;
            }
        }
        /* The row: distinct columns in increasing order and their counts. */
        qsort(found, entries, sizeof(int32_t), compare_ints);
        Py_ssize_t distinct = 0;
        for (Py_ssize_t i = 0; i < entries; i++) {
            if (distinct > 0 && found[distinct - 1] == found[i]) {
                counts[distinct - 1]++;
            } else {
                found[distinct] = found[i];
                counts[distinct++] = 1;
            }
        }
        /* TfidfTransformer: tf (a table made by numpy's own operations) times idf, then l2. */
        double squares = 0.0;
        for (Py_ssize_t i = 0; i < distinct; i++) {
            if (counts[i] >= tf_size) {  /* beyond the table: the Python path computes it */
                Py_CLEAR(result);
                Py_INCREF(Py_None);
                result = Py_None;
                goto done;
            }
            float value = tf_weight[counts[i]] * idf_weight[found[i]];
            values[i] = value;
            float square = value * value;
            squares += (double)square;
        }
        if (l2 && squares != 0.0) {
            double norm = sqrt(squares);
            for (Py_ssize_t i = 0; i < distinct; i++)
                values[i] = (float)((double)values[i] / norm);
        }
        /* csr_matvecs: y += value * coefficient, entry by entry, word columns then cues. */
        float y[16];
        for (int k = 0; k < classes; k++)
            y[k] = 0.0f;
        for (Py_ssize_t i = 0; i < distinct; i++) {
            const float *row = coef_t + (Py_ssize_t)found[i] * classes;
            for (int k = 0; k < classes; k++) {
                float term = values[i] * row[k];
                y[k] = y[k] + term;
            }
        }
        for (int c = 0; c < cue_width; c++) {
            float value = cue[t * cue_width + c];
            if (value == 0.0f)
                continue;
            const float *row = coef_t + (word_width + c) * classes;
            for (int k = 0; k < classes; k++) {
                float term = value * row[k];
                y[k] = y[k] + term;
            }
        }
        memcpy(out + t * classes, y, classes * sizeof(float));
        text_pairs += 2 * tokens;
    }

done:
    PyMem_Free(found);
    PyMem_Free(counts);
    PyMem_Free(values);
    for (int v = 0; v < views; v++)
        PyBuffer_Release(&table_views[v]);
    PyBuffer_Release(&packed);
    PyBuffer_Release(&lengths);
    PyBuffer_Release(&cues);
    PyBuffer_Release(&tf);
    PyBuffer_Release(&idf);
    PyBuffer_Release(&coef);
    return result;
}

static PyMethodDef methods[] = {
    {"scores", scores, METH_VARARGS, "Class scores before the intercept of packed texts (see the module source)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "model._native_scorer", NULL, -1, methods};

PyMODINIT_FUNC PyInit__native_scorer(void)
{
    return PyModule_Create(&module);
}
