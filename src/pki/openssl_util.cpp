// Private helpers over OpenSSL: owning pointers, error statuses, memory BIOs, names, SANs, times.
#include "openssl_util.h"

#include <arpa/inet.h>

#include <ctime>

#include <openssl/err.h>

#include "skiff/base/check.h"

namespace skiff::pki::detail {

std::string take_openssl_error() {
    unsigned long last = 0;
    while (unsigned long e = ERR_get_error()) {
        last = e;
    }
    if (last == 0) {
        return {};
    }
    char buf[256];
    ERR_error_string_n(last, buf, sizeof buf);
    return buf;
}

namespace {

std::string with_openssl_error(std::string message) {
    std::string err = take_openssl_error();
    if (!err.empty()) {
        message += ": ";
        message += err;
    }
    return message;
}

}  // namespace

base::Status openssl_status(base::Reason reason, std::string message) {
    return {reason, with_openssl_error(std::move(message))};
}

base::Status openssl_failure(std::string message) {
    return base::internal_error(with_openssl_error(std::move(message)));
}

BioPtr read_bio(std::string_view data) {
    BioPtr bio(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
    SKIFF_CHECK(bio != nullptr);
    return bio;
}

BioPtr write_bio() {
    BioPtr bio(BIO_new(BIO_s_mem()));
    SKIFF_CHECK(bio != nullptr);
    return bio;
}

std::string bio_contents(BIO* bio) {
    char* data = nullptr;
    long n = BIO_get_mem_data(bio, &data);
    return n > 0 ? std::string(data, static_cast<size_t>(n)) : std::string();
}

int no_password(char*, int, int, void*) {
    return -1;
}

namespace {

// The UTF-8 values of the entries with `nid` in `name`.
std::vector<std::string> name_entries(const X509_NAME* name, int nid) {
    std::vector<std::string> out;
    for (int i = X509_NAME_get_index_by_NID(name, nid, -1); i >= 0;
         i = X509_NAME_get_index_by_NID(name, nid, i)) {
        const ASN1_STRING* value = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i));
        unsigned char* utf8 = nullptr;
        int n = ASN1_STRING_to_UTF8(&utf8, value);
        if (n >= 0) {
            out.emplace_back(reinterpret_cast<char*>(utf8), static_cast<size_t>(n));
            OPENSSL_free(utf8);
        }
    }
    return out;
}

bool add_entry(X509_NAME* name, int nid, std::string_view value) {
    return X509_NAME_add_entry_by_NID(name, nid, MBSTRING_UTF8,
                                      reinterpret_cast<const unsigned char*>(value.data()),
                                      static_cast<int>(value.size()), -1, 0) == 1;
}

base::Result<NamePtr> encode_name(std::string_view common_name,
                                  const std::vector<std::string>& organizations) {
    NamePtr name(X509_NAME_new());
    SKIFF_CHECK(name != nullptr);
    // Organizations first, as Go's pkix.Name orders them; the CN ends the name.
    for (const auto& org : organizations) {
        if (!add_entry(name.get(), NID_organizationName, org)) {
            return bad_input("invalid organization \"" + org + "\"");
        }
    }
    if (!common_name.empty() && !add_entry(name.get(), NID_commonName, common_name)) {
        return bad_input("invalid common name \"" + std::string(common_name) + "\"");
    }
    return name;
}

void decode_sans(const GENERAL_NAMES* names, std::vector<std::string>& dns_names,
                 std::vector<std::string>& ip_addresses) {
    for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
        const GENERAL_NAME* gn = sk_GENERAL_NAME_value(names, i);
        if (gn->type == GEN_DNS) {
            const ASN1_IA5STRING* s = gn->d.dNSName;
            dns_names.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                                   static_cast<size_t>(ASN1_STRING_length(s)));
        } else if (gn->type == GEN_IPADD) {
            const ASN1_OCTET_STRING* s = gn->d.iPAddress;
            int len = ASN1_STRING_length(s);
            int family = len == 4 ? AF_INET : len == 16 ? AF_INET6 : 0;
            char text[INET6_ADDRSTRLEN] = {};
            if (family != 0 &&
                inet_ntop(family, ASN1_STRING_get0_data(s), text, sizeof text) != nullptr) {
                ip_addresses.emplace_back(text);
            }
        }
    }
}

bool push_name(GENERAL_NAMES* names, int type, ASN1_STRING* value) {
    GENERAL_NAME* gn = GENERAL_NAME_new();
    if (gn == nullptr) {
        ASN1_STRING_free(value);
        return false;
    }
    GENERAL_NAME_set0_value(gn, type, value);
    if (sk_GENERAL_NAME_push(names, gn) == 0) {
        GENERAL_NAME_free(gn);
        return false;
    }
    return true;
}

bool push_bytes(GENERAL_NAMES* names, int type, const void* data, size_t size) {
    ASN1_STRING* value = type == GEN_DNS ? ASN1_IA5STRING_new() : ASN1_OCTET_STRING_new();
    if (value == nullptr || ASN1_STRING_set(value, data, static_cast<int>(size)) != 1) {
        ASN1_STRING_free(value);
        return false;
    }
    return push_name(names, type, value);
}

base::Result<GeneralNamesPtr> encode_sans(const std::vector<std::string>& dns_names,
                                          const std::vector<std::string>& ip_addresses) {
    GeneralNamesPtr names(GENERAL_NAMES_new());
    SKIFF_CHECK(names != nullptr);
    for (const auto& dns : dns_names) {
        if (dns.empty()) {
            return base::bad_request("empty dns name in subject alternative names");
        }
        if (!push_bytes(names.get(), GEN_DNS, dns.data(), dns.size())) {
            return openssl_failure("adding dns name \"" + dns + "\"");
        }
    }
    for (const auto& ip : ip_addresses) {
        unsigned char bytes[16];
        size_t size = 0;
        if (inet_pton(AF_INET, ip.c_str(), bytes) == 1) {
            size = 4;
        } else if (inet_pton(AF_INET6, ip.c_str(), bytes) == 1) {
            size = 16;
        } else {
            return base::bad_request("invalid ip address \"" + ip + "\"");
        }
        if (!push_bytes(names.get(), GEN_IPADD, bytes, size)) {
            return openssl_failure("adding ip address \"" + ip + "\"");
        }
    }
    return names;
}

}  // namespace

base::Result<EncodedIdentity> encode_identity(const Identity& identity) {
    auto name = encode_name(identity.common_name, identity.organizations);
    if (!name.ok()) {
        return name.status();
    }
    auto sans = encode_sans(identity.dns_names, identity.ip_addresses);
    if (!sans.ok()) {
        return sans.status();
    }
    return EncodedIdentity{std::move(name).value(), std::move(sans).value()};
}

Identity decode_identity(const X509_NAME* name, const GENERAL_NAMES* sans) {
    Identity identity;
    auto common_names = name_entries(name, NID_commonName);
    if (!common_names.empty()) {
        identity.common_name = std::move(common_names.front());
    }
    identity.organizations = name_entries(name, NID_organizationName);
    if (sans != nullptr) {
        decode_sans(sans, identity.dns_names, identity.ip_addresses);
    }
    return identity;
}

std::chrono::system_clock::time_point from_asn1_time(const ASN1_TIME* t) {
    std::tm tm{};
    if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) {
        return {};
    }
    return std::chrono::system_clock::from_time_t(timegm(&tm));
}

time_t to_time_t(std::chrono::system_clock::time_point t) {
    return std::chrono::system_clock::to_time_t(t);
}

}  // namespace skiff::pki::detail
