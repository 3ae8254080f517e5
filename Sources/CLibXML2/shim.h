#ifndef HERALD_CLIBXML2_SHIM_H
#define HERALD_CLIBXML2_SHIM_H
// libxml2's headers pull in the system ICU, whose types clash with Foundation's own ICU in any
// Swift file that imports both; hiding the ICU option drops two pointer fields Swift never uses.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <libxml/encoding.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>

// xmlFree is a global function-pointer variable, which Swift 6 rejects as not concurrency-safe.
static inline void herald_xml_free(void *p) { xmlFree(p); }

// The error-handler types are variadic, which Swift cannot implement; these no-op handlers keep
// libxml2 from writing parse and encoding errors to stderr. Handlers are per thread.
static inline void herald_xml_generic_silent(void *ctx, const char *msg, ...) { (void)ctx; (void)msg; }
static inline void herald_xml_structured_silent(void *ctx, xmlErrorPtr err) { (void)ctx; (void)err; }
static inline void herald_xml_silence_errors(void) {
    xmlSetGenericErrorFunc(NULL, herald_xml_generic_silent);
    xmlSetStructuredErrorFunc(NULL, herald_xml_structured_silent);
}

#endif
