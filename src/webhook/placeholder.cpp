// placeholder until the webhook module lands
namespace wc::webhook {}
