/*
 * transforms._speedups: the text path's per-line signals and content fingerprint in C.
 *
 * ``line_signals`` runs on every distinct line of every page and is the largest single
 * cost of the text path.  This is a line-for-line translation of the reference
 * implementation ``transforms.text_signals._line_signals_py``, which stays the
 * specification: tests/transforms/test_speedups.py checks that both give the same
 * result on real, generated and random lines.  The module is optional: where it cannot
 * be compiled (no C compiler), the package runs the Python reference.
 *
 * ``fingerprint_hashes`` is the C translation of the numpy reference
 * ``transforms.fingerprint._fingerprint_py`` (words, shingles, one permutation MinHash,
 * LSH bands): numpy's per-call overhead on a page's few hundred words was most of its
 * time.  tests/transforms/test_fingerprint.py checks that both agree.
 *
 * Python calls ``configure(stop_tokens, LineSignals)`` and ``configure_fingerprint(…)``
 * once at import: the stop-token set, the result type, the byte table and the seeds come
 * from text_signals.py and fingerprint.py, so nothing is written down twice.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

/* as in text_signals.py: the shares of a long line are estimated on its first 40 tokens */
#define SAMPLE_TOKENS 40

/* ---- the stop-token set, as an open-addressing table of code-point strings ----------- */

typedef struct {
    uint64_t hash;
    Py_ssize_t offset; /* into stop_pool */
    Py_ssize_t length; /* 0: empty slot */
} StopSlot;

static Py_UCS4 *stop_pool = NULL;
static StopSlot *stop_table = NULL;
static uint64_t stop_mask = 0;
static Py_ssize_t stop_max_length = 0;
static PyTypeObject *signals_type = NULL; /* LineSignals (a tuple subclass) */

static inline uint64_t
hash_code_points(int kind, const void *data, Py_ssize_t start, Py_ssize_t end)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (Py_ssize_t i = start; i < end; i++) {
        h ^= (uint64_t)PyUnicode_READ(kind, data, i);
        h *= 1099511628211ULL;
    }
    return h;
}

static int
is_stop_token(int kind, const void *data, Py_ssize_t start, Py_ssize_t end)
{
    Py_ssize_t length = end - start;
    if (length > stop_max_length) {
        return 0;
    }
    uint64_t h = hash_code_points(kind, data, start, end);
    for (uint64_t slot = h & stop_mask;; slot = (slot + 1) & stop_mask) {
        StopSlot *s = &stop_table[slot];
        if (s->length == 0) {
            return 0;
        }
        if (s->hash == h && s->length == length) {
            const Py_UCS4 *word = stop_pool + s->offset;
            Py_ssize_t k = 0;
            while (k < length && word[k] == PyUnicode_READ(kind, data, start + k)) {
                k++;
            }
            if (k == length) {
                return 1;
            }
        }
    }
}

static PyObject *
configure(PyObject *module, PyObject *args)
{
    PyObject *tokens, *type;
    if (!PyArg_ParseTuple(args, "OO!:configure", &tokens, &PyType_Type, &type)) {
        return NULL;
    }
    if (!PyType_IsSubtype((PyTypeObject *)type, &PyTuple_Type)) {
        PyErr_SetString(PyExc_TypeError, "configure: the result type must be a tuple subclass");
        return NULL;
    }
    PyObject *items = PySequence_List(tokens);
    if (items == NULL) {
        return NULL;
    }
    Py_ssize_t count = PyList_GET_SIZE(items), total = 0, max_length = 0;
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *item = PyList_GET_ITEM(items, i);
        if (!PyUnicode_Check(item) || PyUnicode_GET_LENGTH(item) == 0) {
            Py_DECREF(items);
            PyErr_SetString(PyExc_TypeError, "configure: stop tokens must be non-empty strings");
            return NULL;
        }
        total += PyUnicode_GET_LENGTH(item);
        if (PyUnicode_GET_LENGTH(item) > max_length) {
            max_length = PyUnicode_GET_LENGTH(item);
        }
    }
    uint64_t size = 16;
    while (size < (uint64_t)count * 4) {
        size <<= 1;
    }
    Py_UCS4 *pool = PyMem_Calloc(total + 1, sizeof(Py_UCS4));
    StopSlot *table = PyMem_Calloc(size, sizeof(StopSlot));
    if (pool == NULL || table == NULL) {
        PyMem_Free(pool);
        PyMem_Free(table);
        Py_DECREF(items);
        return PyErr_NoMemory();
    }
    Py_ssize_t offset = 0;
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *item = PyList_GET_ITEM(items, i);
        int kind = PyUnicode_KIND(item);
        const void *data = PyUnicode_DATA(item);
        Py_ssize_t length = PyUnicode_GET_LENGTH(item);
        uint64_t h = hash_code_points(kind, data, 0, length);
        uint64_t slot = h & (size - 1);
        while (table[slot].length != 0) {
            slot = (slot + 1) & (size - 1);
        }
        for (Py_ssize_t k = 0; k < length; k++) {
            pool[offset + k] = PyUnicode_READ(kind, data, k);
        }
        table[slot].hash = h;
        table[slot].offset = offset;
        table[slot].length = length;
        offset += length;
    }
    Py_DECREF(items);
    PyMem_Free(stop_pool);
    PyMem_Free(stop_table);
    stop_pool = pool;
    stop_table = table;
    stop_mask = size - 1;
    stop_max_length = max_length;
    Py_INCREF(type);
    Py_XSETREF(signals_type, (PyTypeObject *)type);
    Py_RETURN_NONE;
}

/* ---- line_signals ------------------------------------------------------------------ */

static inline int
is_trailing_closer(Py_UCS4 c)
{
    /* _TRAILING_CLOSERS = "\"'”’»)]*" */
    return c == '"' || c == '\'' || c == 0x201D || c == 0x2019 || c == 0xBB || c == ')' || c == ']' || c == '*';
}

/* the next token of str.split() at or after *pos: sets *start, moves *pos past it;
 * 0 when there is none */
static inline int
next_token(int kind, const void *data, Py_ssize_t length, Py_ssize_t *pos, Py_ssize_t *start)
{
    Py_ssize_t i = *pos;
    while (i < length && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i))) {
        i++;
    }
    *start = i;
    while (i < length && !Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i))) {
        i++;
    }
    *pos = i;
    return i > *start;
}

static PyObject *
line_signals(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs < 1 || nargs > 2) {
        PyErr_SetString(PyExc_TypeError, "line_signals(text, low=None)");
        return NULL;
    }
    if (signals_type == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "line_signals: configure() was not called");
        return NULL;
    }
    PyObject *text = args[0];
    PyObject *low = nargs == 2 ? args[1] : Py_None;
    if (!PyUnicode_Check(text) || (low != Py_None && !PyUnicode_Check(low))) {
        PyErr_SetString(PyExc_TypeError, "line_signals: text and low must be str");
        return NULL;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n_chars = PyUnicode_GET_LENGTH(text);

    /* tokens (str.split()), and of the first 40: the non-words (punctuation only, one
     * character) and the capitalised ones (a word's initial is its first character, or its
     * second if the first is not alphanumeric: "“We") */
    Py_ssize_t n_tokens = 0, n_nonwords = 0, n_upper = 0, i = 0, start = 0;
    while (next_token(kind, data, n_chars, &i, &start)) {
        if (++n_tokens > SAMPLE_TOKENS) {
            continue;
        }
        Py_UCS4 first = PyUnicode_READ(kind, data, start);
        if (Py_UNICODE_ISALNUM(first)) {
            n_upper += Py_UNICODE_ISUPPER(first) != 0;
        }
        else if (i - start >= 2) {
            n_upper += Py_UNICODE_ISUPPER(PyUnicode_READ(kind, data, start + 1)) != 0;
        }
        else {
            n_nonwords++;
        }
    }
    Py_ssize_t n_sample = (n_tokens < SAMPLE_TOKENS ? n_tokens : SAMPLE_TOKENS) - n_nonwords;

    double stop_share = 0.0, cap_share = 0.0;
    if (n_sample > 0) {
        PyObject *lowered = NULL;
        if (low == Py_None) {
            /* whitespace ends a word for every case mapping (final sigma included), so the
             * lower-cased line splits into the lower-cased tokens */
            lowered = PyObject_CallMethod(text, "lower", NULL);
            if (lowered == NULL) {
                return NULL;
            }
            low = lowered;
        }
        int low_kind = PyUnicode_KIND(low);
        const void *low_data = PyUnicode_DATA(low);
        Py_ssize_t low_chars = PyUnicode_GET_LENGTH(low), n_low = 0, n_stop = 0;
        i = 0;
        while (n_low < SAMPLE_TOKENS && next_token(low_kind, low_data, low_chars, &i, &start)) {
            n_low++;
            n_stop += is_stop_token(low_kind, low_data, start, i);
        }
        Py_XDECREF(lowered);
        stop_share = (double)n_stop / (double)n_sample;
        if (stop_share > 1.0) {
            stop_share = 1.0;
        }
        cap_share = (double)n_upper / (double)n_sample;
    }

    /* the last character before closing quotes and brackets */
    Py_ssize_t end = n_chars;
    while (end > 0 && is_trailing_closer(PyUnicode_READ(kind, data, end - 1))) {
        end--;
    }
    Py_UCS4 last = end > 0 ? PyUnicode_READ(kind, data, end - 1) : 0;
    int ends_sentence = last == '.' || last == '!' || last == '?' || last == 0x2026;
    int ends_colon = last == ':';

    /* the first letter or digit */
    int starts_upper = 0, has_quote = 0;
    for (i = 0; i < n_chars; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (Py_UNICODE_ISALNUM(c)) {
            starts_upper = Py_UNICODE_ISUPPER(c) || Py_UNICODE_ISDIGIT(c);
            break;
        }
    }
    for (i = 0; i < n_chars; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c == '"' || c == 0x201C || c == 0x201D || c == 0xAB) {
            has_quote = 1;
            break;
        }
    }

    PyObject *result = signals_type->tp_alloc(signals_type, 7);
    if (result == NULL) {
        return NULL;
    }
    PyObject *items[7] = {
        PyLong_FromSsize_t(n_tokens - n_nonwords),
        PyFloat_FromDouble(stop_share),
        PyFloat_FromDouble(cap_share),
        Py_NewRef(ends_sentence ? Py_True : Py_False),
        Py_NewRef(ends_colon ? Py_True : Py_False),
        Py_NewRef(starts_upper ? Py_True : Py_False),
        Py_NewRef(has_quote ? Py_True : Py_False),
    };
    for (int k = 0; k < 7; k++) {
        if (items[k] == NULL) {
            for (int j = 0; j < 7; j++) {
                Py_XDECREF(items[j]);
            }
            Py_DECREF(result);
            return NULL;
        }
    }
    for (int k = 0; k < 7; k++) {
        PyTuple_SET_ITEM(result, k, items[k]);
    }
    /* Numbers and booleans only: the tuple can never be part of a reference cycle, so
     * the cyclic GC need not track it (see ``untracked``). */
    PyObject_GC_UnTrack(result);
    return result;
}

/* untracked(t): ``t``, no longer tracked by the cyclic GC if it is a tuple none of whose
 * items is a tracked container (then nothing it holds can refer back to it: it cannot be
 * part of a cycle).  The cleaner memoises the facts of tens of thousands of lines; tracked,
 * each full collection walked them all, and they made full collections come more often.
 * CPython untracks such tuples itself, but not one that holds a tuple subclass instance
 * (a LineSignals), tracked or not. */
static PyObject *
untracked(PyObject *self, PyObject *t)
{
    if (PyTuple_CheckExact(t) && PyObject_GC_IsTracked(t)) {
        Py_ssize_t n = PyTuple_GET_SIZE(t);
        for (Py_ssize_t i = 0; i < n; i++) {
            PyObject *item = PyTuple_GET_ITEM(t, i);
            if (PyObject_IS_GC(item) && PyObject_GC_IsTracked(item)) {
                return Py_NewRef(t);
            }
        }
        PyObject_GC_UnTrack(t);
    }
    return Py_NewRef(t);
}


/* ---- fingerprint_hashes ------------------------------------------------------------ */

/* set by configure_fingerprint (transforms/fingerprint.py): the byte table that turns
 * separators into spaces and ASCII capitals into small letters, the seed of the hash
 * family, the shingle's position multipliers and the band's row multipliers */
static unsigned char fp_table[256];
static uint64_t fp_seed = 0;
static uint64_t fp_position[16];
static uint64_t fp_band_mix[16];
static Py_ssize_t fp_shingle_words = 0, fp_num_perm = 0, fp_band_rows = 0;
static uint32_t crc_table[256];

#define FP_EMPTY (((uint64_t)1) << 32)

static void
init_crc_table(void)
{
    /* zlib's crc32 (reflected, polynomial 0xEDB88320): zlib.crc32 in the reference */
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++) {
            c = c & 1 ? 0xEDB88320U ^ (c >> 1) : c >> 1;
        }
        crc_table[n] = c;
    }
}

static inline uint64_t
half_splitmix(uint64_t v)
{
    /* fingerprint._mix */
    v ^= v >> 31;
    v *= 0xBF58476D1CE4E5B9ULL;
    v ^= v >> 29;
    return v;
}

static int
read_u64_sequence(PyObject *sequence, uint64_t *out, Py_ssize_t capacity, Py_ssize_t *count)
{
    PyObject *items = PySequence_Tuple(sequence);
    if (items == NULL) {
        return -1;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(items);
    if (n < 1 || n > capacity) {
        Py_DECREF(items);
        PyErr_SetString(PyExc_ValueError, "configure_fingerprint: 1 to 16 multipliers");
        return -1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        out[i] = PyLong_AsUnsignedLongLongMask(PyTuple_GET_ITEM(items, i));
        if (out[i] == (uint64_t)-1 && PyErr_Occurred()) {
            Py_DECREF(items);
            return -1;
        }
    }
    Py_DECREF(items);
    *count = n;
    return 0;
}

static PyObject *
configure_fingerprint(PyObject *module, PyObject *args)
{
    Py_buffer table;
    PyObject *seed, *position, *band_mix;
    Py_ssize_t num_perm;
    if (!PyArg_ParseTuple(args, "y*OOOn:configure_fingerprint", &table, &seed, &position, &band_mix, &num_perm)) {
        return NULL;
    }
    if (table.len != 256 || num_perm < 1) {
        PyBuffer_Release(&table);
        PyErr_SetString(PyExc_ValueError, "configure_fingerprint: a 256-byte table and num_perm >= 1");
        return NULL;
    }
    memcpy(fp_table, table.buf, 256);
    PyBuffer_Release(&table);
    fp_seed = PyLong_AsUnsignedLongLongMask(seed);
    if (fp_seed == (uint64_t)-1 && PyErr_Occurred()) {
        return NULL;
    }
    if (read_u64_sequence(position, fp_position, 16, &fp_shingle_words) < 0 ||
        read_u64_sequence(band_mix, fp_band_mix, 16, &fp_band_rows) < 0) {
        fp_num_perm = 0;
        return NULL;
    }
    if (num_perm % fp_band_rows != 0) {
        fp_num_perm = 0;
        PyErr_SetString(PyExc_ValueError, "configure_fingerprint: num_perm must be a multiple of the band rows");
        return NULL;
    }
    init_crc_table();
    fp_num_perm = num_perm;
    Py_RETURN_NONE;
}

/* fingerprint_hashes(data: bytes) -> (hash_input: bytes, n_shingles, minhash, bands)
 *
 * ``data``: the clean text as UTF-8 (surrogatepass), paragraphs separated by "\n".
 * ``hash_input``: the words' 64-bit hashes then their paragraph numbers (native int64),
 * what the reference hashes into text_hash; ``minhash`` and ``bands`` are tuples of ints,
 * empty when the text has no shingle. */
static PyObject *
fingerprint_hashes(PyObject *module, PyObject *arg)
{
    if (fp_num_perm == 0) {
        PyErr_SetString(PyExc_RuntimeError, "fingerprint_hashes: configure_fingerprint was not called");
        return NULL;
    }
    char *data;
    Py_ssize_t length;
    if (PyBytes_AsStringAndSize(arg, &data, &length) < 0) {
        return NULL;
    }
    const unsigned char *bytes = (const unsigned char *)data;
    /* crc32(b"\x01"): the word a line break becomes in the reference */
    const uint32_t break_crc = (crc_table[(0xFFFFFFFFU ^ 0x01U) & 0xFF] ^ (0xFFFFFFFFU >> 8)) ^ 0xFFFFFFFFU;
    /* at most one word per two bytes, plus one per line break: length + 1 bounds both */
    Py_ssize_t capacity = length + 1;
    uint64_t *buffer = PyMem_Malloc(sizeof(uint64_t) * 2 * (size_t)capacity);
    uint64_t *signature = PyMem_Malloc(sizeof(uint64_t) * (size_t)fp_num_perm);
    if (buffer == NULL || signature == NULL) {
        PyMem_Free(buffer);
        PyMem_Free(signature);
        return PyErr_NoMemory();
    }
    uint64_t *words = buffer;
    int64_t *paragraph_of = (int64_t *)(buffer + capacity);
    Py_ssize_t n_words = 0;
    int64_t paragraph = 0;
    uint32_t crc = 0;
    int in_word = 0;
#define END_WORD()                                                                                   \
    do {                                                                                             \
        if (in_word) {                                                                               \
            uint32_t value = crc ^ 0xFFFFFFFFU;                                                      \
            if (value == break_crc) {                                                                \
                paragraph++; /* a word hashing like the break is one in the reference too */         \
            } else {                                                                                 \
                words[n_words] = half_splitmix((uint64_t)value * 0x9E3779B97F4A7C15ULL);             \
                paragraph_of[n_words++] = paragraph;                                                 \
            }                                                                                        \
            in_word = 0;                                                                             \
        }                                                                                            \
    } while (0)
    for (Py_ssize_t i = 0; i < length; i++) {
        unsigned char b = bytes[i];
        /* fingerprint._PUNCTUATION: U+00A0-00BF and U+2000-207F are separators */
        if (b == 0xC2 && i + 1 < length && bytes[i + 1] >= 0xA0 && bytes[i + 1] <= 0xBF) {
            END_WORD();
            i += 1;
            continue;
        }
        if (b == 0xE2 && i + 2 < length && (bytes[i + 1] == 0x80 || bytes[i + 1] == 0x81) && bytes[i + 2] >= 0x80 &&
            bytes[i + 2] <= 0xBF) {
            END_WORD();
            i += 2;
            continue;
        }
        if (b == '\n') { /* the word b"\x01" between spaces: a paragraph break */
            END_WORD();
            paragraph++;
            continue;
        }
        unsigned char m = fp_table[b];
        if (m == ' ') {
            END_WORD();
            continue;
        }
        if (!in_word) {
            crc = 0xFFFFFFFFU;
            in_word = 1;
        }
        crc = crc_table[(crc ^ m) & 0xFF] ^ (crc >> 8);
    }
    END_WORD();
#undef END_WORD
    PyObject *hash_input = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)(16 * n_words));
    if (hash_input == NULL) {
        PyMem_Free(buffer);
        PyMem_Free(signature);
        return NULL;
    }
    memcpy(PyBytes_AS_STRING(hash_input), words, 8 * (size_t)n_words);
    memcpy(PyBytes_AS_STRING(hash_input) + 8 * n_words, paragraph_of, 8 * (size_t)n_words);

    /* shingles within a paragraph, each hashed once: bin by the high bits, keep the least low bits */
    Py_ssize_t k = fp_shingle_words, n_shingles = 0;
    for (Py_ssize_t p = 0; p < fp_num_perm; p++) {
        signature[p] = FP_EMPTY;
    }
    for (Py_ssize_t i = 0; i + k <= n_words; i++) {
        if (paragraph_of[i] != paragraph_of[i + k - 1]) {
            continue;
        }
        uint64_t combined = 0;
        for (Py_ssize_t w = 0; w < k; w++) {
            combined += words[i + w] * fp_position[w];
        }
        uint64_t hashed = half_splitmix(combined ^ fp_seed);
        uint64_t bin = ((hashed >> 32) * (uint64_t)fp_num_perm) >> 32;
        uint64_t low = hashed & 0xFFFFFFFFULL;
        if (low < signature[bin]) {
            signature[bin] = low;
        }
        n_shingles++;
    }
    PyMem_Free(buffer);
    PyObject *minhash, *bands;
    if (n_shingles == 0) {
        minhash = PyTuple_New(0);
        bands = PyTuple_New(0);
    } else {
        /* densification: an empty bin takes the next filled bin to its right, circularly,
         * plus 2^32 per step */
        uint64_t *dense = PyMem_Malloc(sizeof(uint64_t) * (size_t)fp_num_perm);
        if (dense == NULL) {
            PyMem_Free(signature);
            Py_DECREF(hash_input);
            return PyErr_NoMemory();
        }
        for (Py_ssize_t p = 0; p < fp_num_perm; p++) {
            Py_ssize_t donor = p, steps = 0;
            while (signature[donor] == FP_EMPTY) {
                donor = donor + 1 == fp_num_perm ? 0 : donor + 1;
                steps++;
            }
            dense[p] = signature[donor] + (uint64_t)steps * FP_EMPTY;
        }
        Py_ssize_t n_bands = fp_num_perm / fp_band_rows;
        minhash = PyTuple_New(fp_num_perm);
        bands = PyTuple_New(n_bands);
        if (minhash != NULL && bands != NULL) {
            for (Py_ssize_t p = 0; p < fp_num_perm; p++) {
                PyObject *value = PyLong_FromLongLong((long long)dense[p]);
                if (value == NULL) {
                    Py_CLEAR(minhash);
                    break;
                }
                PyTuple_SET_ITEM(minhash, p, value);
            }
            for (Py_ssize_t band = 0; minhash != NULL && band < n_bands; band++) {
                uint64_t combined = 0;
                for (Py_ssize_t r = 0; r < fp_band_rows; r++) {
                    combined += dense[band * fp_band_rows + r] * fp_band_mix[r];
                }
                combined ^= combined >> 31;
                combined *= 0x94D049BB133111EBULL;
                combined ^= combined >> 29;
                PyObject *value = PyLong_FromLongLong((long long)(int64_t)combined);
                if (value == NULL) {
                    Py_CLEAR(bands);
                    break;
                }
                PyTuple_SET_ITEM(bands, band, value);
            }
        }
        PyMem_Free(dense);
    }
    PyMem_Free(signature);
    if (minhash == NULL || bands == NULL) {
        Py_XDECREF(minhash);
        Py_XDECREF(bands);
        Py_DECREF(hash_input);
        return NULL;
    }
    PyObject *result = Py_BuildValue("(NnNN)", hash_input, n_shingles, minhash, bands);
    return result;
}

static PyMethodDef speedups_methods[] = {
    {"configure", configure, METH_VARARGS, "configure(stop_tokens, result_type): set up line_signals"},
    {"line_signals", (PyCFunction)(void (*)(void))line_signals, METH_FASTCALL,
     "line_signals(text, low=None): see transforms.text_signals._line_signals_py"},
    {"configure_fingerprint", configure_fingerprint, METH_VARARGS,
     "configure_fingerprint(byte_table, seed, position_multipliers, band_multipliers, num_perm): set up fingerprint_hashes"},
    {"fingerprint_hashes", fingerprint_hashes, METH_O,
     "fingerprint_hashes(utf8: bytes) -> (hash_input, n_shingles, minhash, bands): see transforms.fingerprint._fingerprint_py"},
    {"untracked", untracked, METH_O, "untracked(t): t, untracked by the cyclic GC if it cannot be part of a cycle"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef speedups_module = {
    PyModuleDef_HEAD_INIT, "transforms._speedups", "The text path's per-line signals and content fingerprint in C.", -1, speedups_methods,
};

PyMODINIT_FUNC
PyInit__speedups(void)
{
    return PyModule_Create(&speedups_module);
}
