-- Neovim 0.7 (Debian 12) as an LSP client that is not part of the project: start the bundled server over
-- stdio, wait for the initialize handshake, print what it learned as JSON, then shut the server down.
local server = os.getenv('SKENE_SERVER')
local client_id = vim.lsp.start_client({
  name = 'skene',
  cmd = { 'node', server, '--stdio' },
  root_dir = vim.fn.getcwd(),
})
local initialized = vim.wait(10000, function()
  local client = vim.lsp.get_client_by_id(client_id)
  return client ~= nil and client.initialized
end, 20)
local client = vim.lsp.get_client_by_id(client_id)
local capabilities = client and client.server_capabilities or {}
local result = {
  initialized = initialized,
  textDocumentSync = capabilities.textDocumentSync,
}
if client then
  client.stop()
  result.stopped = vim.wait(5000, function() return client.is_stopped() end, 20)
end
io.stdout:write(vim.fn.json_encode(result) .. '\n')
vim.cmd('qa!')
