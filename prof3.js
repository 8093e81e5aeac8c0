const vm=require('vm'), fs=require('fs'), path=require('path'), Module=require('module');
const file=path.resolve('node_modules/.cache/multi-k8s-validators/'+fs.readdirSync('node_modules/.cache/multi-k8s-validators')[0]+'/io.k8s.api.apps.v1.Deployment.js');
const obj=require('yaml').parseAllDocuments(fs.readFileSync('dist/multi-k8s.k8s.yaml','utf8')).map(d=>d.toJSON()).find(o=>o.kind==='Deployment');
function load(useCache){
  const src=fs.readFileSync(file,'utf8');
  const cacheFile=file+'.cache';
  const cachedData = useCache && fs.existsSync(cacheFile) ? fs.readFileSync(cacheFile) : undefined;
  const t=process.hrtime.bigint();
  const script=new vm.Script(Module.wrap(src),{filename:file, cachedData});
  const fn=script.runInThisContext();
  const m={exports:{}}; fn.call(m.exports,m.exports,require,m,file,path.dirname(file));
  const v=m.exports.default||m.exports; const ok=v(obj);
  const dt=Number(process.hrtime.bigint()-t)/1e6;
  if(useCache && !cachedData){ fs.writeFileSync(cacheFile, script.createCachedData()); }
  console.log('cache',useCache, cachedData? 'hit rejected='+script.cachedDataRejected:'none', dt.toFixed(1),'ms', ok);
}
load(process.argv[2]==='1');
